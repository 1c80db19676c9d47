package dev.selectftp.server.nodes;

import static dev.selectftp.server.testing.ThrowawayS3.BUCKET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Response;
import dev.selectftp.server.hostile.RawClient;
import dev.selectftp.server.storage.s3.ObjectStorageTests;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.storage.s3.ObjectUpload;
import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayPostgres;
import dev.selectftp.server.testing.ThrowawayS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing one PostgreSQL and one S3 store (S3Proxy) behind HAProxy, the homes on the store: what one
 * node stored, the other lists and serves, through both doors; an upload cut on one node resumes on the other
 * after the prefix check against the SHA-256 midstate the first saved in the bucket; and {@code kill -9} of the
 * node in the middle of an upload loses no confirmed file and, once the node is back, leaves nothing reserved in
 * the quota ledger. HAProxy balances each door round robin, so one door's consecutive sessions reach different
 * nodes; the nodes' transfer logs say which node served which session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the kill last: the others need both nodes in rotation
class SharedHomesTest {
  @RegisterExtension
  static final ThrowawayPostgres PG = new ThrowawayPostgres();
  @RegisterExtension
  static final ThrowawayS3 STORE = new ThrowawayS3();
  @RegisterExtension
  static final Cluster CLUSTER = new Cluster(PG, STORE);
  private static final int PART = ObjectUpload.PART_SIZE;
  /** Where the client's network fails: one part stored, half of the next one sent. */
  private static final long CUT_AT = PART + PART / 2;
  /** HAProxy checks every second and drops a node after one failed check; room for a loaded machine. */
  private static final long FAILOVER_SECONDS = 10;

  @TempDir
  Path dir;

  @Test
  @Order(1)
  void fileUploadedThroughOneNodeIsListedAndDownloadedThroughTheOtherWithTheSameSha256OnBothDoors() throws Exception {
    String user = registered("sharer");
    byte[] content = random(1, PART + 4_321); // two parts: a multipart upload
    try (RawClient up = loggedIn(selectFtp(), user)) {
      Response.PutDone done = assertInstanceOf(Response.PutDone.class, up.upload("/shared.bin", content));
      assertEquals(sha256(content), done.sha256());
    }
    try (RawClient down = loggedIn(selectFtp(), user)) {
      Response.Entry listed = down.list().entries().stream().filter(e -> e.name().equals("shared.bin"))
          .findFirst().orElseThrow(() -> new AssertionError("the other node lists shared.bin"));
      assertEquals(content.length, listed.size());
      assertArrayEquals(content, down.download("/shared.bin"));
    }
    assertNotEquals(TransferLines.awaitOk(nodes(), user, "upload", "/shared.bin").node(),
        TransferLines.awaitOk(nodes(), user, "download", "/shared.bin").node(), "served by the two nodes");

    // FTP: STOR in one control session, NLST + SIZE + RETR in the next (the other node), which also serves
    // the file stored through the SelectFTP door.
    Path local = Files.write(dir.resolve("ftp.bin"), random(2, 300_000));
    Path script = Files.writeString(dir.resolve("shared.py"), """
        import ftplib, hashlib, io, sys
        port, user, mode, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
        f = ftplib.FTP()
        f.trust_server_pasv_ipv4_address = True  # the balancer's address, as PASV says
        f.connect("127.0.0.1", port, timeout=30)
        f.login(user, "pw-" + user)
        f.voidcmd("TYPE I")
        if mode == "put":
            print(f.storbinary("STOR ftp.bin", open(args[0], "rb")))
        else:
            names = f.nlst()
            for name in args:
                buf = io.BytesIO()
                f.retrbinary("RETR " + name, buf.write)
                print(name, name in names, f.size(name), hashlib.sha256(buf.getvalue()).hexdigest())
        f.quit()
        """);
    String ftp = Integer.toString(CLUSTER.balancer().ftpPort());
    assertTrue(run("python3", script.toString(), ftp, user, "put", local.toString()).startsWith("226"));
    String got = run("python3", script.toString(), ftp, user, "get", "ftp.bin", "shared.bin");
    byte[] sent = Files.readAllBytes(local);
    assertTrue(got.contains("ftp.bin True " + sent.length + " " + sha256(sent)), got);
    assertTrue(got.contains("shared.bin True " + content.length + " " + sha256(content)), got);
    assertNotEquals(TransferLines.awaitOk(nodes(), user, "upload", "/ftp.bin").node(),
        TransferLines.awaitOk(nodes(), user, "download", "/ftp.bin").node(), "served by the two nodes");
  }

  @Test
  @Order(2)
  void uploadCutOnOneNodeResumesThroughTheBalancerOnTheOtherWithTheWholeFilesSha256() throws Exception {
    String user = registered("resumer");
    byte[] content = random(3, 2 * PART + 4_321);
    String key = key(user, "/big.bin");
    try (CuttingRelay network = CuttingRelay.start(selectFtp(), CUT_AT);
        RawClient cut = loggedIn(network.port(), user)) {
      assertThrows(IOException.class, () -> cut.upload("/big.bin", content));
      assertTrue(network.awaitCut(30), "the relay cut the upload after " + CUT_AT + " bytes");
    }
    TransferLines.Served cutOn = TransferLines.await(nodes(), user, "upload", "/big.bin", line -> true);
    assertNotEquals("ok", cutOn.result());
    awaitKey(key + VirtualPath.PARTIAL_SUFFIX); // the midstate after the first part, saved in the bucket
    assertFalse(exists(key), "a cut upload is no object");

    try (RawClient resumed = loggedIn(selectFtp(), user)) {
      // RawClient continues at the offered offset only when its own prefix has the SHA-256 the node offers.
      Response.PutDone done = assertInstanceOf(Response.PutDone.class, resumed.upload("/big.bin", content));
      assertEquals(sha256(content), done.sha256());
    }
    TransferLines.Served resumedOn = TransferLines.awaitOk(nodes(), user, "upload", "/big.bin");
    assertNotEquals(cutOn.node(), resumedOn.node(), "the resume reached the other node");
    assertEquals(PART, resumedOn.resumedFrom(), "resumed after the part the first node stored");
    assertEquals(sha256(content), resumedOn.sha256());
    try (RawClient back = loggedIn(selectFtp(), user)) {
      assertArrayEquals(content, back.download("/big.bin"));
    }
    assertEquals(sha256(content), ObjectStorageTests.awaitLabel(STORE.client(), key), "the object's label");
  }

  @Test
  @Order(3)
  void killNineOfTheNodeMidUploadLosesNoConfirmedFileAndItsRestartLeavesNothingReserved() throws Exception {
    String user = registered("keeper");
    byte[] one = random(4, PART + 77);
    byte[] two = random(5, 100_000);
    try (RawClient a = loggedIn(selectFtp(), user); RawClient b = loggedIn(selectFtp(), user)) {
      assertInstanceOf(Response.PutDone.class, a.upload("/one.bin", one)); // one file through each node
      assertInstanceOf(Response.PutDone.class, b.upload("/two.bin", two));
    }
    awaitNothingReserved(user); // so the only hold below is the slow upload's, naming its node
    // A slow FTP upload (curl, undeclared size: the node asks the ledger for room ahead as bytes arrive).
    Path slow = Files.write(dir.resolve("slow.bin"), random(6, 4 << 20));
    Process curl = new ProcessBuilder("curl", "-sS", "--limit-rate", "256k", "-T", slow.toString(),
        "ftp://" + user + ":pw-" + user + "@127.0.0.1:" + CLUSTER.balancer().ftpPort() + "/slow.bin")
        .redirectErrorStream(true).redirectOutput(dir.resolve("curl.out").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (holder(user) == null) {
      assertTrue(curl.isAlive() && System.nanoTime() < deadline, "the upload holds room in the ledger");
      Thread.sleep(50);
    }
    String holding = holder(user);
    ServerNodes.Node doomed = nodes().stream().filter(n -> holding.equals(nodeId(n))).findFirst().orElseThrow();
    doomed.kill();
    assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
    assertNotEquals(0, curl.exitValue(), "curl's upload was cut");
    assertTrue(reserved(user) > 0, "nothing gave the dead upload's reservation back yet");

    // The survivor serves both files, the one the dead node stored too: the homes are on the store.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_SECONDS);
    for (int inARow = 0; inARow < 2; ) { // two sessions in a row: with round robin, both backends were asked
      assertTrue(System.nanoTime() < deadline, "sessions still reach the killed node after " + FAILOVER_SECONDS + " s");
      try (RawClient c = RawClient.connect(selectFtp())) {
        assertInstanceOf(Response.AuthOk.class, c.tryLogin(user, "pw-" + user));
        assertArrayEquals(one, c.download("/one.bin"));
        assertArrayEquals(two, c.download("/two.bin"));
        inARow++;
      } catch (IOException cutOff) {
        inARow = 0; // reached the dead node before HAProxy's check noticed
        Thread.sleep(100);
      }
    }
    assertFalse(exists(key(user, "/slow.bin")), "the cut upload published nothing");

    CLUSTER.restart(doomed);
    awaitNothingReserved(user);
    // Killed within its first part, the dead upload stored nothing: the ledger counts the confirmed files alone.
    assertEquals(one.length + two.length, ledger(user, "used_bytes"));
    assertEquals(sha256(one), ObjectStorageTests.awaitLabel(STORE.client(), key(user, "/one.bin")));
    assertEquals(sha256(two), ObjectStorageTests.awaitLabel(STORE.client(), key(user, "/two.bin")));
  }

  private static List<ServerNodes.Node> nodes() {
    return CLUSTER.nodes();
  }

  private static int selectFtp() {
    return CLUSTER.balancer().selectFtpPort();
  }

  private static String registered(String user) throws Exception {
    try (RawClient c = RawClient.connect(selectFtp())) {
      assertInstanceOf(Response.Ok.class, c.register(user, "pw-" + user));
    }
    return user;
  }

  /** Logged in as {@code user}, retried on the same connection while the node learns of the account. */
  private static RawClient loggedIn(int port, String user) throws Exception {
    return Sessions.loggedIn(port, user, Duration.ofSeconds(10));
  }

  private static byte[] random(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The object key of {@code user}'s file at {@code path} (absolute): the home is the user's key prefix. */
  private static String key(String user, String path) {
    return ServerNodes.S3_PREFIX + "/" + user + path;
  }

  private static boolean exists(String key) {
    return STORE.client().listObjectsV2(r -> r.bucket(BUCKET).prefix(key)).contents().stream()
        .anyMatch(o -> o.key().equals(key));
  }

  private static void awaitKey(String key) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!exists(key) && System.nanoTime() < deadline) Thread.sleep(50);
    assertTrue(exists(key), key + " in the bucket");
  }

  /** The node holding a reservation of {@code user}'s in the ledger, or null. */
  private static String holder(String user) throws Exception {
    try (Connection c = PG.connect();
        PreparedStatement s = c.prepareStatement("SELECT node FROM quota_holds WHERE name = ? AND bytes > 0")) {
      s.setString(1, user);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static String nodeId(ServerNodes.Node n) {
    try {
      return Files.readString(n.data().resolve("node-id")).trim();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits up to 10 s for {@code user}'s reservations to be given back (each in its own statement). */
  private static void awaitNothingReserved(String user) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (reserved(user) != 0 && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(0, reserved(user), "nothing of " + user + "'s is reserved in the ledger");
  }

  private static long reserved(String user) throws Exception {
    return ledger(user, "reserved_bytes");
  }

  /** One column of {@code user}'s row in the quota ledger. */
  private static long ledger(String user, String column) throws Exception {
    try (Connection c = PG.connect();
        PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM usage WHERE name = ?")) {
      s.setString(1, user);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String run(String... command) throws Exception {
    return Sessions.run(dir, command);
  }
}
