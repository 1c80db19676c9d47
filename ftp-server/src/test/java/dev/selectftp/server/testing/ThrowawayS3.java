package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.storage.s3.S3Clients;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API for one test class: S3Proxy (Maven Central's {@code org.gaul:s3proxy}, its all-in-one jar
 * copied to {@code target/s3proxy/s3proxy.jar} by the build) run as a separate JVM with the jclouds
 * filesystem backend in a temp folder, on a free loopback port, with SigV4 and a throwaway access key. Its
 * Jetty and jclouds never meet the server's classpath. Stopped and deleted after the class; {@link #stop} and
 * {@link #start} in between play a store going down and coming back with its data.
 * One bucket {@value #BUCKET} is created, and {@link #client} talks to the store as the server would.
 * Register with {@code @RegisterExtension static final ThrowawayS3 S3 = new ThrowawayS3();}.
 */
public final class ThrowawayS3 implements BeforeAllCallback, AfterAllCallback {
  public static final String ACCESS_KEY = "selectftp-test";
  public static final String SECRET_KEY = "selectftp-test-secret";
  public static final String BUCKET = "homes";
  /** Where ftp-server's build copies S3Proxy; the second path is the same seen from ftp-client's tests. */
  private static final Path JAR = Stream.of("target/s3proxy/s3proxy.jar", "../ftp-server/target/s3proxy/s3proxy.jar")
      .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(Path.of("target/s3proxy/s3proxy.jar"));
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(100);
  /** Enough for S3Proxy; keeps two of them beside other helpers' builds on a small machine. */
  private static final String HEAP = "-Xmx256m";

  private Path root;
  private int port;
  private Process process;
  private S3Client client;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "no " + JAR + " (mvn generate-test-resources copies it from Maven Central)");
    root = Files.createTempDirectory("selectftp-s3-");
    Files.createDirectories(root.resolve("data"));
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Files.writeString(root.resolve("s3proxy.conf"), String.join("\n",
        "s3proxy.endpoint=" + endpoint(),
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + root.resolve("data"), ""));
    start();
    client = S3Clients.open(endpoint(), credentials());
    client.createBucket(r -> r.bucket(BUCKET));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (root == null) return;
    try {
      if (client != null) client.close();
      stop();
    } finally {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
      root = null;
    }
  }

  /** Starts S3Proxy (again, after {@link #stop}) on the same port and data, and waits until it answers. */
  public void start() throws IOException, InterruptedException {
    process = new ProcessBuilder(List.of(javaBinary(), HEAP, "-jar", JAR.toAbsolutePath().toString(),
        "--properties", root.resolve("s3proxy.conf").toString()))
        .redirectErrorStream(true)
        .redirectOutput(root.resolve("s3proxy.log").toFile())
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answers()) {
      if (!process.isAlive()) throw new IOException("S3Proxy exited: " + Files.readString(root.resolve("s3proxy.log")));
      if (System.nanoTime() > deadline) throw new IOException("S3Proxy did not answer within " + START_TIMEOUT);
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Kills S3Proxy at once, as a crashed store or a cut network looks to a client. */
  public void stop() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    process = null;
  }

  /** A client of the store (path-style, the test's access key), the same kind the server builds. */
  public S3Client client() {
    return client;
  }

  /** A server process's options for homes under {@code prefix} in the bucket: --storage and --s3-endpoint. */
  public List<String> serverOptions(String prefix) {
    return List.of("--storage", "s3://" + BUCKET + "/" + prefix, "--s3-endpoint", endpoint().toString());
  }

  /** The test's keys as the standard AWS variables a server process reads them from (the SDK's default chain). */
  public static Map<String, String> environment() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** The backend's folder: one folder per bucket, one file per object. */
  public Path data() {
    return root.resolve("data");
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(1000);
      try {
        return c.getResponseCode() > 0;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
