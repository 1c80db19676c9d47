package dev.selectftp.server.storage.s3;

import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.testing.ThrowawayS3;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Homes on a real S3 API (S3Proxy in its own JVM): files, folders, listing, ranged reads. */
class ObjectHomeTest {
  @RegisterExtension static final ThrowawayS3 STORE = new ThrowawayS3();

  @RegisterExtension final TestHomes homes = new TestHomes(STORE);

  @Test
  void rangedReadReturnsExactlyTheRange() throws Exception {
    ObjectHome alice = homes.of("alice");
    byte[] data = randomBytes(1000, 1);
    store(alice, "/f.bin", data);
    try (InputStream in = alice.openRange("/", "f.bin", 100, 50)) {
      assertArrayEquals(slice(data, 100, 50), in.readAllBytes());
    }
    try (InputStream in = alice.openRange("/", "f.bin", 990, 50)) {
      assertArrayEquals(slice(data, 990, 10), in.readAllBytes(), "a range past the end stops at the end");
    }
    ByteBuffer into = ByteBuffer.allocate(64);
    assertEquals(64, alice.read("/", "/f.bin", 0, into));
    assertArrayEquals(slice(data, 0, 64), into.array());
    assertEquals(10, alice.read("/", "/f.bin", 990, ByteBuffer.allocate(64)));
    assertEquals(-1, alice.read("/", "/f.bin", 1000, ByteBuffer.allocate(64)));
    alice.makeDir("/", "d");
    assertEquals(Refusal.IS_A_DIRECTORY, assertThrows(Refused.class, () -> alice.openRange("/", "d", 0, 1)).code());
    assertEquals(Refusal.NOT_FOUND, assertThrows(Refused.class, () -> alice.openRange("/", "nope", 0, 1)).code());
  }

  @Test
  void listingPagesInCodePointOrderWithoutUploadBookkeeping() throws Exception {
    ObjectHome alice = homes.of("alice");
    S3Client s3 = homes.s3();
    String prefix = homes.prefix();
    alice.makeDir("/", "docs");
    alice.makeDir("/", "x");
    store(alice, "/docs/inner", bytes("in"));
    List<String> expected = new ArrayList<>(List.of("Z", "a b", "b", "docs", "docs!", "docs-1", "docs.zip", "x"));
    // Forty names that S3 returns before folder x (x!... < x/) although name order puts x first.
    for (int i = 10; i < 50; i++) expected.add("x!" + i);
    expected.addAll(List.of("x.txt", "z", "é", "\uD83D\uDE00"));
    for (String name : expected) if (!name.equals("docs") && !name.equals("x")) store(alice, "/" + name, bytes(name));
    // Bookkeeping and foreign keys: an upload in flight, a key with a backslash, a partial's name.
    alice.startUpload("/", "pending.bin").write(ByteBuffer.wrap(bytes("not yet")));
    String root = prefix + "/alice/";
    s3.putObject(r -> r.bucket(BUCKET).key(root + "bad\\name"), RequestBody.fromString("x"));
    s3.putObject(r -> r.bucket(BUCKET).key(root + "f.selectftp-part"), RequestBody.fromString("x"));

    for (int size : new int[] {1, 2, 3, 7, 100}) {
      assertEquals(expected, listAll(alice, "/", size), "pages of " + size);
    }
    Entry docs = alice.list("/", "/", null, PageSize.entries(100)).entries().stream()
        .filter(e -> e.name().equals("docs")).findFirst().orElseThrow();
    assertTrue(docs.dir());
    assertEquals(List.of("inner"), listAll(alice, "/docs", 1));
    assertEquals(Refusal.NOT_A_DIRECTORY, assertThrows(Refused.class,
        () -> alice.list("/", "/b", null, PageSize.entries(5))).code());
    assertEquals(Refusal.NOT_FOUND, assertThrows(Refused.class,
        () -> alice.list("/", "/nope", null, PageSize.entries(5))).code());
  }

  @Test
  void folderRenameMovesEveryKey() throws Exception {
    ObjectHome alice = homes.of("alice");
    S3Client s3 = homes.s3();
    String prefix = homes.prefix();
    alice.makeDir("/", "src");
    alice.makeDir("/src", "sub");
    alice.makeDir("/", "dst-parent");
    store(alice, "/src/a", bytes("a"));
    store(alice, "/src/sub/b", bytes("b"));
    store(alice, "/src/sub/c", bytes("c"));

    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> alice.rename("/", "src", "src/sub/in")).code());
    assertEquals(Refusal.EXISTS, assertThrows(Refused.class, () -> alice.rename("/", "src", "dst-parent")).code());
    assertEquals(5, alice.rename("/", "src", "/dst-parent/dst"), "two folder markers and three files");

    assertFalse(alice.stat("/", "src").exists());
    assertTrue(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix + "/alice/src")).contents().isEmpty());
    assertEquals(List.of("a", "sub"), listAll(alice, "/dst-parent/dst", 10));
    assertEquals(List.of("b", "c"), listAll(alice, "/dst-parent/dst/sub", 10));
    assertArrayEquals(bytes("c"), readAll(alice, "/dst-parent/dst/sub/c"));

    alice.rename("/dst-parent/dst/sub", "c", "/c-moved");
    assertArrayEquals(bytes("c"), readAll(alice, "/c-moved"));
    assertEquals(Refusal.NOT_EMPTY, assertThrows(Refused.class, () -> alice.delete("/", "dst-parent")).code());
    alice.makeDir("/", "empty");
    assertEquals(Refusal.EXISTS, assertThrows(Refused.class, () -> alice.makeDir("/", "empty")).code());
    assertEquals(0, alice.delete("/", "empty"));
    assertFalse(alice.stat("/", "empty").exists());
    assertEquals(1, alice.delete("/", "c-moved"));
  }

  @Test
  void hostilePathsNeverNameAKeyOutsideTheUsersPrefix() throws Exception {
    ObjectHome alice = homes.of("alice");
    S3Client s3 = homes.s3();
    String prefix = homes.prefix();
    ObjectHome alice2 = homes.of("alice2");
    store(alice2, "/secret", bytes("alice2's"));
    alice.makeDir("/", "in");
    List<String> hostile = List.of("..", "../alice2/secret", "/../alice2/secret", "in/../../alice2/secret",
        "%2e%2e", "%2e%2e/alice2/secret", "..%2falice2%2fsecret", "..\\alice2\\secret", "\\..\\alice2",
        "/./../alice2", "....//alice2", ".../alice2", "2/secret", "/2/secret", "in/%2e%2e/%2e%2e/alice2/secret",
        "..\uFF0Falice2", "in\u0000/../..");
    for (String path : hostile) {
      for (String cwd : List.of("/", "/in")) {
        tryEverything(alice, cwd, path);
      }
    }
    for (String path : List.of("%2e%2e", "%2e%2e/alice2")) tryEverything(alice, "/", path);

    assertArrayEquals(bytes("alice2's"), readAll(alice2, "/secret"), "alice2's file is untouched");
    String theirs = prefix + "/alice2/";
    // S3Proxy's filesystem backend also lists the directory alice2/ that holds alice2's file.
    List<String> allowed = List.of(theirs, theirs + "secret");
    for (var o : s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(prefix + "/")).contents()) {
      assertTrue(o.key().startsWith(prefix + "/alice/") || allowed.contains(o.key()), "a key outside: " + o.key());
    }
    assertFalse(listAll(alice, "/", 100).contains("secret"));
    assertFalse(alice.stat("/", "2/secret").exists(), "alice2's prefix is not alice's prefix plus 2");
    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> alice.stat("/", "../alice2/secret")).code());
    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> alice.stat("/", "..\\alice2\\secret")).code());
  }

  /** Every operation on a hostile path either is refused or acts inside alice's prefix. */
  private static void tryEverything(ObjectHome home, String cwd, String path) throws Exception {
    List<Call> calls = List.of(
        () -> home.stat(cwd, path),
        () -> home.list(cwd, path, null, PageSize.entries(10)),
        () -> home.makeDir(cwd, path),
        () -> store(home, cwd.equals("/") ? path : cwd + "/" + path, bytes("hostile")),
        () -> home.rename(cwd, path, "/moved"),
        () -> home.rename("/", "/moved", cwd + "/" + path),
        () -> home.openRange(cwd, path, 0, 10).close(),
        () -> home.delete(cwd, path));
    for (Call c : calls) {
      try {
        c.run();
      } catch (Refused expected) {
        // Refused is one of the two allowed outcomes.
      }
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  static List<String> listAll(ObjectHome home, String folder, int pageSize) throws Exception {
    List<String> names = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Listing page = home.list("/", folder, cursor, PageSize.entries(pageSize));
      assertTrue(page.entries().size() <= pageSize);
      for (Entry e : page.entries()) names.add(e.name());
      cursor = page.next();
      assertTrue(++pages < 1000, "the listing makes progress");
    } while (cursor != null);
    return names;
  }

  static String store(ObjectHome home, String path, byte[] data) throws Exception {
    ObjectUpload upload = home.startUpload("/", path);
    upload.write(ByteBuffer.wrap(data));
    return upload.complete();
  }

  static byte[] readAll(ObjectHome home, String path) throws Exception {
    try (InputStream in = home.openRange("/", path, 0, Long.MAX_VALUE / 2)) {
      return in.readAllBytes();
    }
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] slice(byte[] data, int from, int length) {
    byte[] b = new byte[length];
    System.arraycopy(data, from, b, 0, length);
    return b;
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
