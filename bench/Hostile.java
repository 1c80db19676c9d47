import dev.selectftp.client.FtpClient;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramCredentials;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One attack of issue 9 against a running server, with a bystander measuring what everyone else gets.
 * Run through bench/hostile.sh, which starts a fresh server per attack and reads RSS.
 *
 * <pre>
 * java -cp ftp-client.jar Hostile.java setup PORT USER PASSWORD           registers USER
 * java -cp ftp-client.jar Hostile.java ATTACK PORT PID SECONDS USER PASSWORD [SCALE]
 * </pre>
 *
 * ATTACK is one of none, list-pipeline (one logged-in client pipelines listings of /big and reads as fast
 * as it can), junk-noread (SCALE connections, default 300, pipeline junk frames and never read), slow-frames
 * (SCALE connections, default 3000, each sends a header announcing 64 KiB and one byte, then waits),
 * register-flood (SCALE connections, default 50, register accounts as fast as the server answers).
 * Requests are written as JSON text, so this runs against any build of the server. Prints one JSON line.
 */
public class Hostile {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final AtomicBoolean running = new AtomicBoolean(true);
  static final AtomicLong attackRequests = new AtomicLong();
  static final AtomicLong attackErrors = new AtomicLong();

  public static void main(String[] a) throws Exception {
    String attack = a[0];
    int port = Integer.parseInt(a[1]);
    if (attack.equals("setup")) {
      try (FtpClient c = FtpClient.connect("127.0.0.1", port, TIMEOUT)) {
        c.register(a[2], a[3].toCharArray());
      }
      return;
    }
    long pid = Long.parseLong(a[2]);
    int seconds = Integer.parseInt(a[3]);
    String user = a[4];
    char[] password = a[5].toCharArray();
    int scale = a.length > 6 ? Integer.parseInt(a[6]) : defaultScale(attack);

    long rssBase = rssKib(pid);
    try (FtpClient c = FtpClient.connect("127.0.0.1", port, TIMEOUT)) {
      c.stats(); // resets the server's pass figures
    }
    List<Thread> attackers = startAttack(attack, port, user, password, scale);
    Thread.sleep(1_000); // let the attack build up before measuring
    long[] rssPeak = {rssBase};
    Thread rssWatch = new Thread(() -> {
      while (running.get()) {
        rssPeak[0] = Math.max(rssPeak[0], rssKib(pid));
        sleep(200);
      }
    });
    rssWatch.start();
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    int[] failures = {0};
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      long t = System.nanoTime();
      try (FtpClient c = FtpClient.connect("127.0.0.1", port, TIMEOUT)) {
        c.login(user, password);
        c.list(null);
        micros.add((System.nanoTime() - t) / 1_000);
      } catch (IOException e) {
        failures[0]++;
      }
      sleep(20);
    }
    long maxPassMicros = -1;
    boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    if (alive) {
      try (FtpClient c = FtpClient.connect("127.0.0.1", port, TIMEOUT)) {
        maxPassMicros = c.stats().maxPassMicros();
      } catch (IOException e) {
        failures[0]++;
      }
    }
    running.set(false);
    for (Thread t : attackers) t.join(5_000);
    rssWatch.join();
    Collections.sort(micros);
    System.out.printf(Locale.ROOT,
        "{\"attack\":\"%s\",\"scale\":%d,\"seconds\":%d,\"bystander_ops\":%d,\"bystander_failures\":%d,"
            + "\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,\"max_pass_ms\":%.1f,\"attack_requests\":%d,"
            + "\"attack_errors\":%d,\"rss_base_mib\":%d,\"rss_peak_mib\":%d,\"server_alive\":%b}%n",
        attack, scale, seconds, micros.size(), failures[0], pct(micros, 0.50), pct(micros, 0.99),
        pct(micros, 1.0), maxPassMicros / 1000.0, attackRequests.get(), attackErrors.get(), rssBase / 1024,
        rssPeak[0] / 1024, alive);
    System.exit(0); // attackers may sit in blocking writes the server never drains
  }

  static int defaultScale(String attack) {
    return switch (attack) {
      case "junk-noread" -> 300;
      case "slow-frames" -> 3000;
      case "register-flood" -> 50;
      default -> 1;
    };
  }

  static List<Thread> startAttack(String attack, int port, String user, char[] password, int scale)
      throws Exception {
    List<Thread> threads = new ArrayList<>();
    switch (attack) {
      case "none" -> { }
      case "list-pipeline" -> threads.addAll(listPipeline(port, user, password));
      case "junk-noread" -> threads.add(daemon(() -> junkNoRead(port, scale)));
      case "slow-frames" -> threads.add(daemon(() -> slowFrames(port, scale)));
      case "register-flood" -> {
        // Derived once: a flood need not pay PBKDF2 per account, the keys do not depend on the name.
        ScramCredentials keys = ScramCredentials.derive("flood-password".toCharArray(),
            new byte[ScramCredentials.SALT_BYTES], helloIterations(port));
        for (int i = 0; i < scale; i++) {
          int id = i;
          threads.add(daemon(() -> registerFlood(port, keys, id)));
        }
      }
      default -> throw new IllegalArgumentException("unknown attack " + attack);
    }
    return threads;
  }

  /** One connection: a writer pipelining listings of /big, a reader discarding replies at full speed. */
  static List<Thread> listPipeline(int port, String user, char[] password) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    DataInputStream in = new DataInputStream(s.getInputStream());
    OutputStream out = s.getOutputStream();
    rawLogin(in, out, user, password);
    byte[] list = frame("{\"type\":\"list\",\"path\":\"/big\"}");
    Thread writer = daemon(() -> {
      while (running.get()) {
        out.write(list);
        attackRequests.incrementAndGet();
      }
      s.close();
    });
    Thread reader = daemon(() -> {
      while (running.get()) readFrame(in);
    });
    return List.of(writer, reader);
  }

  static void junkNoRead(int port, int connections) throws IOException {
    byte[] junk = new byte[16 * 1024];
    ByteBuffer one = ByteBuffer.wrap(frame("{"));
    for (int i = 0; i + one.limit() <= junk.length; i += one.limit()) one.get(0, junk, i, one.limit());
    List<SocketChannel> channels = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      ch.configureBlocking(false);
      channels.add(ch);
    }
    while (running.get()) {
      long wrote = 0;
      for (SocketChannel ch : channels) {
        if (!ch.isOpen()) continue;
        try {
          wrote += ch.write(ByteBuffer.wrap(junk));
        } catch (IOException e) {
          attackErrors.incrementAndGet();
          ch.close();
        }
      }
      attackRequests.addAndGet(wrote / 3);
      if (wrote == 0) sleep(10);
    }
    for (SocketChannel ch : channels) ch.close();
  }

  static void slowFrames(int port, int connections) throws IOException {
    List<SocketChannel> channels = new ArrayList<>();
    byte[] header = {0, 1, 0, 0, '{'}; // announces 65,536 bytes, sends one
    for (int i = 0; i < connections && running.get(); i++) {
      try {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        ch.write(ByteBuffer.wrap(header));
        channels.add(ch);
        attackRequests.incrementAndGet();
      } catch (IOException e) {
        attackErrors.incrementAndGet();
      }
    }
    while (running.get()) sleep(100);
    for (SocketChannel ch : channels) ch.close();
  }

  static void registerFlood(int port, ScramCredentials keys, int id) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    long n = 0;
    while (running.get()) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        readFrame(in); // hello
        while (running.get()) {
          String name = "f" + ProcessHandle.current().pid() + "x" + id + "n" + n++;
          out.write(frame("{\"type\":\"register\",\"user\":\"" + name + "\",\"salt\":\"" + b64.encodeToString(keys.salt())
              + "\",\"iterations\":" + keys.iterations() + ",\"storedKey\":\"" + b64.encodeToString(keys.storedKey())
              + "\",\"serverKey\":\"" + b64.encodeToString(keys.serverKey()) + "\"}"));
          attackRequests.incrementAndGet();
          if (readFrame(in) instanceof Response.Error) attackErrors.incrementAndGet();
        }
      } catch (IOException e) {
        attackErrors.incrementAndGet();
        sleep(10);
      }
    }
  }

  static int helloIterations(int port) throws IOException {
    try (FtpClient c = FtpClient.connect("127.0.0.1", port, TIMEOUT)) {
      return c.hello().iterations();
    }
  }

  static void rawLogin(DataInputStream in, OutputStream out, String user, char[] password) throws IOException {
    readFrame(in); // hello
    ScramClient scram = new ScramClient(user, password);
    out.write(frame("{\"type\":\"auth-start\",\"scram\":" + MessageCodec.json(scram.clientFirst()) + "}"));
    Response challenge = readFrame(in);
    if (!(challenge instanceof Response.AuthChallenge c)) throw new IOException("login refused: " + challenge);
    String proof;
    try {
      proof = scram.clientFinal(c.scram());
    } catch (ProtocolException e) {
      throw new IOException(e);
    }
    out.write(frame("{\"type\":\"auth-finish\",\"scram\":" + MessageCodec.json(proof) + "}"));
    Response ok = readFrame(in);
    if (!(ok instanceof Response.AuthOk)) throw new IOException("login refused: " + ok);
  }

  static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  static Response readFrame(DataInputStream in) throws IOException {
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    try {
      return MessageCodec.decodeResponse(payload);
    } catch (ProtocolException e) {
      throw new IOException(e);
    }
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return -1;
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * p) - 1);
    return sorted.get(Math.max(0, i)) / 1000.0;
  }

  interface Body {
    void run() throws Exception;
  }

  static Thread daemon(Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        if (running.get()) attackErrors.incrementAndGet();
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
