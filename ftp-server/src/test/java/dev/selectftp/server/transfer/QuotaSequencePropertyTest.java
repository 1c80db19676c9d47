package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.testing.Answered;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of uploads (new and replacing, abandoned at random offsets, resumed, restarted from 0,
 * corrupted), two uploads interleaved, deletes, mkdirs and renames, run against a real {@link Home},
 * {@link Quotas} and {@link Upload} with a small quota and entry limit. After every step the disk, walked
 * independently, is under the quota and the entry limit, and Quotas' numbers equal it exactly.
 */
class QuotaSequencePropertyTest {
  private static final String USER = "u";
  private static final long QUOTA = 1000;
  private static final long MAX_FILES = 6;
  private static final int MAX_SIZE = 700;
  private static final List<String> NAMES = List.of("a", "b", "d", "d/a", "d/b", "e");

  sealed interface Op {}

  /**
   * One upload: {@code stopAt} < size abandons it there; {@code restart} sends from 0 even when the
   * server offers to resume; {@code corrupt} declares a wrong hash.
   */
  record Put(String name, int size, int stopAt, boolean restart, boolean corrupt) implements Op {}

  /** Two uploads in flight at once (two sessions of the user), fed in turn, ended in either order. */
  record Both(Put first, Put second, boolean secondEndsFirst) implements Op {}

  record Delete(String name) implements Op {}

  record MakeDir(String name) implements Op {}

  record Rename(String from, String to) implements Op {}

  @Property(tries = 250)
  void diskNeverExceedsTheQuotaOrTheEntryLimitAndTheTotalsEqualTheDisk(@ForAll("sequences") List<Op> ops)
      throws Exception {
    Path data = Files.createTempDirectory("quota-seq");
    try {
      FileStore store = new FileStore(data);
      Home home = store.home(USER);
      Quotas quotas = new Quotas(u -> QUOTA, MAX_FILES, (user, done) -> {
        try {
          done.accept(store.tally(user), null);
        } catch (IOException e) {
          done.accept(null, e);
        }
      });
      quotas.whenKnown(USER, "1", failure -> assertNull(failure));
      UploadLocks locks = new UploadLocks();
      World w = new World(home, quotas, locks, new FileOperations(quotas, locks, Offload.INLINE));
      int step = 0;
      for (Op op : ops) {
        w.run(op);
        check(home.root(), quotas, ++step, op);
      }
    } finally {
      deleteTree(data);
    }
  }

  private static void check(Path root, Quotas quotas, int step, Op op) throws Refused {
    Tally disk = walk(root);
    String where = "after step " + step + " (" + op + "): disk " + disk + ", quotas " + quotas.usage(USER);
    assertTrue(disk.bytes() <= QUOTA, "over the quota " + where);
    assertTrue(disk.entries() <= MAX_FILES, "over the entry limit " + where);
    Quotas.Usage usage = quotas.usage(USER);
    assertEquals(disk.bytes(), usage.stored(), "stored bytes " + where);
    assertEquals(disk.entries(), usage.entries(), "entries " + where);
    assertEquals(0, usage.reserved(), "reservations left " + where);
  }

  /** Counts the disk without the server's own walk: regular-file bytes, files and folders below the root. */
  private static Tally walk(Path root) {
    long[] t = {0, 0};
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(p -> !p.equals(root)).forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile()) t[0] += a.size();
          t[1]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Tally(t[0], t[1]);
  }

  /** The bytes of one version of a file: the same for the same name and size, so resumes can match. */
  static byte[] content(String name, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) b[i] = (byte) (name.hashCode() * 7 + size * 13 + i * 31);
    return b;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The system under test, and how each operation drives it (as the session layer would). */
  record World(Home home, Quotas quotas, UploadLocks locks, FileOperations files) {
    void run(Op op) throws Exception {
      try {
        if (op instanceof Put p) {
          Stage s = Stage.begin(this, p);
          if (s != null) s.finish();
        } else if (op instanceof Both b) {
          Stage one = Stage.begin(this, b.first());
          Stage two = Stage.begin(this, b.second());
          if (one != null) one.feed();
          if (two != null) two.feed();
          if (b.secondEndsFirst() && two != null) two.end();
          if (one != null) one.end();
          if (two != null) two.end();
        } else if (op instanceof Delete d) {
          Answered.<String>now(done -> files.delete(USER, home, "/", d.name(), FileOperations.Kind.ANY, done));
        } else if (op instanceof MakeDir m) {
          Answered.<String>now(done -> files.makeDir(USER, home, "/", m.name(), done));
        } else if (op instanceof Rename r) {
          Answered.<FileOperations.Renamed>now(done -> files.rename("u", home, "/", r.from(), r.to(), done));
        }
      } catch (Refused refused) {
        // a refusal (quota, exists, not found, not empty, busy...) is a legal outcome; the checks decide
      }
    }
  }

  /** One upload driven through begin, put-data, raw bytes and commit, abort or discard. */
  static final class Stage {
    private final Put put;
    private final Upload upload;
    private final byte[] content;
    private int end;
    private boolean ended;

    private Stage(Put put, Upload upload) {
      this.put = put;
      this.upload = upload;
      this.content = content(put.name(), put.size());
    }

    static Stage begin(World w, Put p) throws Exception {
      try {
        Upload u = Upload.begin(USER, w.home(), w.quotas(), w.locks(), "/" + p.name(), p.size());
        if (u.kept() > 0) u.hashKept(); // what put-ready's prefix hash does on the server
        return new Stage(p, u);
      } catch (Refused refused) {
        return null;
      }
    }

    void feed() throws Exception {
      long offset = put.restart() ? 0 : upload.kept();
      try {
        upload.accept(offset, put.size() - offset);
      } catch (Refused e) {
        upload.abort();
        ended = true;
        return;
      }
      end = put.stopAt() < put.size() ? (int) Math.max(offset, put.stopAt()) : put.size();
      int at = (int) offset;
      while (at < end) {
        int n = Math.min(97, end - at); // arrives in pieces, as from the socket
        upload.receive(ByteBuffer.wrap(content, at, n));
        at += n;
      }
    }

    void end() throws Exception {
      if (ended) return;
      ended = true;
      if (end < put.size()) {
        upload.abort(); // the connection went away
        return;
      }
      if (!upload.matches(put.corrupt() ? "0".repeat(64) : sha256(content))) {
        upload.discard();
        return;
      }
      try {
        upload.commitBlocking();
        upload.committed();
      } catch (Refused | IOException e) {
        upload.abort(); // e.g. a folder took the name meanwhile
      }
    }

    void finish() throws Exception {
      feed();
      end();
    }
  }

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<String> names = Arbitraries.of(NAMES);
    Arbitrary<Put> puts = Combinators.combine(names, Arbitraries.integers().between(0, MAX_SIZE),
        Arbitraries.integers().between(0, MAX_SIZE + 200), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 9))
        .as((name, size, stopAt, restart, c) -> new Put(name, size, stopAt, restart, c == 0));
    Arbitrary<Op> ops = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, puts.map(p -> (Op) p)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(puts, puts, Arbitraries.of(true, false)).as(Both::new)),
        net.jqwik.api.Tuple.of(2, names.map(Delete::new)),
        net.jqwik.api.Tuple.of(2, names.map(MakeDir::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(names, names).as(Rename::new)));
    return ops.list().ofMinSize(1).ofMaxSize(30);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
