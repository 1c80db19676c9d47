package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.it.ClusterScript.Run;
import dev.selectftp.server.storage.s3.S3Clients;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import dev.selectftp.server.testing.ThrowawayPostgres;
import dev.selectftp.testing.TestFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 13's "works from a fresh clone" for {@code deploy/cluster.sh}: the real script as a user runs it
 * (PostgreSQL, S3Proxy, two nodes on {@code --storage s3://}, HAProxy), driven through the ports it prints with
 * the real console client ({@code bin/ftp-client}) and curl, then {@code down}, then a second {@code up}.
 * Runs in {@code mvn verify}'s integration-test phase (failsafe), after the client jar is packaged; skipped
 * without PostgreSQL's server binaries or haproxy, as the several-nodes tests are.
 */
class ClusterScriptIT {
  private static final String USER = "alice";
  /** The printed command lines use this password; the test logs in with it too. */
  private static final String PASSWORD = "correct horse";
  private static final String FTP_USER = "alice:correct%20horse";
  private static final String FILE = "photos.bin";
  private static final int SIZE = 4 << 20;
  /** Where a failed run leaves the cluster's logs (its state folder is deleted by the final {@code down}). */
  private static final Path LOGS_ON_FAILURE = Path.of("target/cluster-it-logs");

  @Test
  @Timeout(300)
  void upServesAFileThroughBothDoorsFromS3AndDownLeavesNothingBehind() throws Exception {
    assumeTrue(ThrowawayPostgres.binaries().isPresent(), "no PostgreSQL server binaries (Debian package postgresql)");
    assumeTrue(ThrowawayHaproxy.binary().isPresent(), "no haproxy binary (Debian package haproxy)");
    long began = System.nanoTime();
    try (ClusterScript cluster = ClusterScript.privateTo(ClusterScript.checkout())) {
      try {
        runsUpDownAndUpAgain(cluster, began);
      } catch (Throwable failed) {
        cluster.keepLogs(LOGS_ON_FAILURE);
        System.err.println("[cluster] the cluster's logs are in " + LOGS_ON_FAILURE.toAbsolutePath());
        throw failed;
      }
    }
  }

  /** The whole story, timed: up, the refused second up, a file both ways, down, up again, down. */
  private static void runsUpDownAndUpAgain(ClusterScript cluster, long began) throws Exception {
    ClusterPrintout first = upAnswersOnEveryPrintedPort(cluster);
    Run again = cluster.up();
    assertEquals(1, again.exit(), "up while up is refused: " + again.printed());
    assertTrue(again.err().contains("a cluster is already up in " + cluster.state), again.printed());
    long upAt = System.nanoTime();

    aFileGoesThroughBothDoorsWithTheSameSha256(cluster, first);
    long usedAt = System.nanoTime();
    downLeavesNoProcessAndNoState(cluster);
    long downAt = System.nanoTime();

    upAgainStartsFromNothing(cluster);
    downLeavesNoProcessAndNoState(cluster);
    System.out.printf("[cluster] first up and its printed lines %.1f s, the file both ways %.1f s, down %.1f s,"
        + " up again to down %.1f s: %.1f s in all%n", seconds(began, upAt), seconds(upAt, usedAt),
        seconds(usedAt, downAt), seconds(downAt, System.nanoTime()), seconds(began, System.nanoTime()));
  }

  /**
   * {@code up} exits 0, and what it prints works: the command lines under "Try:" register {@value #USER} at
   * HAProxy's SelectFTP door and store a file through its FTP door (the printed ls line is run after the next
   * upload), PostgreSQL answers at the printed URL, and S3Proxy with the printed key.
   */
  private static ClusterPrintout upAnswersOnEveryPrintedPort(ClusterScript cluster) throws Exception {
    Run up = cluster.up();
    assertEquals(0, up.exit(), "up: " + up.printed());
    ClusterPrintout printed = ClusterPrintout.parse(up.out());
    assertTrue(cluster.started().stream().allMatch(ClusterProcesses::running), "everything up started runs");

    Run register = cluster.shell(printed.tryLine("bin/ftp-client", " register"));
    assertEquals(0, register.exit(), "the printed register line, on a new database: " + register.printed());
    Run curlPut = cluster.shell(printed.tryLine("curl -T", "'"));
    assertEquals(0, curlPut.exit(), "the printed curl line: " + curlPut.printed());

    try (Connection db = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + printed.postgresPort() + "/selectftp?user=postgres");
        Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT current_database()")) {
      assertTrue(r.next());
      assertEquals("selectftp", r.getString(1), "the printed PostgreSQL URL");
    }
    try (S3Client s3 = s3(printed)) {
      assertTrue(s3.listObjectsV2(b -> b.bucket(printed.bucket()).prefix(printed.homesPrefix() + "/" + USER + "/"))
          .contents().stream().anyMatch(o -> o.key().endsWith("/README.md")),
          "the file curl stored through one node is an object in the printed S3Proxy bucket");
    }
    return printed;
  }

  /**
   * A second {@code up} after {@code down} works and shares nothing with the first: the printed register line
   * succeeds (a new database), and the printed ls line shows an empty home (a new bucket).
   */
  private static void upAgainStartsFromNothing(ClusterScript cluster) throws Exception {
    Run up = cluster.up();
    assertEquals(0, up.exit(), "up after down: " + up.printed());
    ClusterPrintout printed = ClusterPrintout.parse(up.out());
    Run register = cluster.shell(printed.tryLine("bin/ftp-client", " register"));
    assertEquals(0, register.exit(), "the name is free again: " + register.printed());
    Run ls = cluster.shell(printed.tryLine("bin/ftp-client", " ls"));
    assertEquals(0, ls.exit(), ls.printed());
    assertFalse(ls.out().contains(FILE) || ls.out().contains("README.md"), "an empty home: " + ls.printed());
  }

  /**
   * A few MiB up with the console client through HAProxy's SelectFTP door, listed by the printed ls line and
   * fetched back by the client, listed and fetched by curl through the FTP door: the same SHA-256 each way and
   * in S3Proxy, nothing in either node's own data folder, and both nodes served the user (HAProxy's round
   * robin sends the client's successive connections to alternate nodes, so the ls goes to the node the put
   * did not).
   */
  private static void aFileGoesThroughBothDoorsWithTheSameSha256(ClusterScript cluster, ClusterPrintout printed)
      throws Exception {
    int door = printed.selectFtpPort();
    String sha256 = TestFiles.sha256(TestFiles.writeRandom(cluster.files.resolve(FILE), 13, SIZE));

    Run put = cluster.client(door, USER, PASSWORD, "put", FILE);
    assertEquals(0, put.exit(), put.printed());
    Run ls = cluster.shell(printed.tryLine("bin/ftp-client", " ls"));
    assertEquals(0, ls.exit(), ls.printed());
    assertTrue(ls.out().contains(FILE) && ls.out().contains("README.md"),
        "the printed ls line, through the other node, lists the file and what the printed curl line stored: "
            + ls.printed());
    Run get = cluster.client(door, USER, PASSWORD, "get", FILE, "back.bin");
    assertEquals(0, get.exit(), get.printed());
    assertEquals(sha256, TestFiles.sha256(cluster.files.resolve("back.bin")), "client get");

    String ftp = "ftp://" + FTP_USER + "@127.0.0.1:" + printed.ftpPort() + "/";
    Run list = cluster.curl(ftp);
    assertEquals(0, list.exit(), list.printed());
    assertTrue(list.out().lines().anyMatch(l -> l.contains(" " + SIZE + " ") && l.endsWith(" " + FILE)),
        "curl LIST shows the file with its size: " + list.printed());
    Path viaFtp = cluster.files.resolve("via-ftp.bin");
    Run retr = cluster.curl("-o", viaFtp.toString(), ftp + FILE);
    assertEquals(0, retr.exit(), retr.printed());
    assertEquals(sha256, TestFiles.sha256(viaFtp), "curl RETR through HAProxy's FTP door");

    try (S3Client s3 = s3(printed)) {
      byte[] object = s3.getObjectAsBytes(b -> b.bucket(printed.bucket())
          .key(printed.homesPrefix() + "/" + USER + "/" + FILE)).asByteArray();
      assertEquals(sha256, TestFiles.sha256(object), "the home is on S3Proxy, not on a node");
    }
    for (int node = 1; node <= 2; node++) {
      Path data = cluster.state.resolve("node" + node);
      try (var inData = Files.walk(data)) {
        assertEquals(List.of(), inData.filter(p -> p.getFileName().toString().contains(FILE)).toList(),
            "node " + node + " keeps no copy in its data folder");
      }
      assertTrue(Files.readString(data.resolve("logs/server.log")).contains(USER),
          "HAProxy sent some of the user's connections to node " + node);
    }
  }

  /** {@code down} exits 0; every process {@code up} started has stopped; state folder and pointer are gone. */
  private static void downLeavesNoProcessAndNoState(ClusterScript cluster) throws Exception {
    List<ProcessHandle> started = cluster.started();
    Run down = cluster.down();
    assertEquals(0, down.exit(), "down: " + down.printed());
    List<String> left = started.stream().filter(ClusterProcesses::running).map(ClusterProcesses::describe).toList();
    assertEquals(List.of(), left, "processes up started that down left running");
    assertEquals(List.of(), ClusterProcesses.namingFolder(cluster.state).stream().map(ClusterProcesses::describe)
        .toList(), "processes naming the state folder after down");
    assertFalse(Files.exists(cluster.state), "down deletes the state folder " + cluster.state);
    assertFalse(Files.exists(cluster.pointer), "down deletes the pointer file " + cluster.pointer);
  }

  private static S3Client s3(ClusterPrintout printed) {
    return S3Clients.open(URI.create("http://127.0.0.1:" + printed.s3Port()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(printed.s3Key(), printed.s3Secret())));
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }
}
