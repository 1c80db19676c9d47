package dev.selectftp.server.hostile;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.net.KeytoolTls;
import dev.selectftp.server.tls.TlsSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Full-scale TLS figures of issue 10 (not a test: run by hand, see bench/tls-burst.sh):
 * <ol>
 *   <li>a burst of {@code BURST} TLS connects at once: the loop's longest and p99 pass;</li>
 *   <li>{@code IDLE} idle TLS sessions held open by a separate client process: the server's heap per session
 *       (heap after GC with the sessions open minus before, divided by their number).</li>
 * </ol>
 * Usage: {@code java -cp <test classpath> dev.selectftp.server.hostile.TlsBurstBench [BURST] [IDLE]}.
 */
public final class TlsBurstBench {
  private TlsBurstBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("hold")) {
      hold(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
      return;
    }
    int burst = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int idle = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path dir = Files.createTempDirectory("tls-bench");
    KeytoolTls tls = KeytoolTls.generate(dir.resolve("tls"));
    ServerConfig config = ServerConfig.forTests(dir.resolve("data"))
        .withTls(new TlsSettings(TlsOffer.OPTIONAL, null, null))
        .withTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(10));
    try (FtpServer server = FtpServer.start(config, tls)) {
      TlsBurst.run(server.port(), tls, 20);
      TlsBurst.run(server.port(), null, 20);
      System.out.println("[tls-bench] plain baseline: " + TlsBurst.run(server.port(), null, burst));
      System.out.println("[tls-bench] " + TlsBurst.run(server.port(), tls, burst));
      throughput(server.port(), tls, dir.resolve("data/home/xiaoyu"));
      long before = usedAfterGc();
      Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), TlsBurstBench.class.getName(), "hold",
          String.valueOf(server.port()), dir.resolve("tls").toString(), String.valueOf(idle))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (!"ready".equals(line)) throw new IllegalStateException("holder said " + line);
      Thread.sleep(1_000);
      long with = usedAfterGc();
      System.out.printf("[tls-bench] %d idle TLS sessions: server heap %+.1f MiB, %.1f KiB per session; "
          + "connection buffers %d bytes%n", idle, (with - before) / 1048576.0, (with - before) / 1024.0 / idle,
          server.connectionBufferedBytes());
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  /** A 128 MiB upload and download (verified), in plain text and over TLS, client in this JVM. */
  private static void throughput(int port, KeytoolTls tls, Path home) throws Exception {
    byte[] content = new byte[128 << 20];
    new java.util.Random(1).nextBytes(content);
    for (int round = 0; round < 2; round++) {
      for (KeytoolTls mode : new KeytoolTls[] {null, tls}) {
        try (RawClient c = (mode == null ? RawClient.connect(port) : RawClient.connect(port).startTls(mode))
            .login("xiaoyu", "123456")) {
          String name = "big-" + (mode == null ? "plain" : "tls") + ".bin";
          long t = System.nanoTime();
          c.upload(name, content);
          double up = (System.nanoTime() - t) / 1e9;
          Files.write(home.resolve("placed-" + name), content); // unknown hash: hashed while sent
          t = System.nanoTime();
          c.download(name);
          double down = (System.nanoTime() - t) / 1e9;
          t = System.nanoTime();
          c.download("placed-" + name);
          double hashed = (System.nanoTime() - t) / 1e9;
          if (round == 1) {
            System.out.printf("[tls-bench] %s 128 MiB: upload %.0f MiB/s, download %.0f MiB/s (hash known), %.0f MiB/s"
                + " (hashed while sent)%n", mode == null ? "plain" : "TLS  ", 128 / up, 128 / down, 128 / hashed);
          }
        }
      }
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The holder process: opens {@code count} TLS sessions (each answered one request), says ready, waits. */
  private static void hold(int port, Path tlsDir, int count) throws Exception {
    KeytoolTls tls = KeytoolTls.load(tlsDir);
    List<RawClient> open = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      RawClient c = RawClient.connect(port).startTls(tls);
      c.send(new Request.PrintDir());
      if (!(c.next() instanceof Response.Error)) throw new IllegalStateException("pwd before login must fail");
      open.add(c);
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold until the parent closes our stdin
    }
    for (RawClient c : open) c.close();
  }
}
