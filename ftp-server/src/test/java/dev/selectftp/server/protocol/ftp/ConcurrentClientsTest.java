package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.protocol.ftp.ClientProcess.Result;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty real client processes at once on the FTP door, half curl and half Python's ftplib, each storing its
 * own file and reading it back: every file byte-identical on the server and back home, no client failing, and
 * the loop's longest pass meanwhile reported (from the SelectFTP door's stats, as the fairness tests read it).
 */
class ConcurrentClientsTest {
  private static final int CLIENTS = 20;
  /** Client n sends {@code BASE_BYTES + n * STEP_BYTES}: every size differs, so no file passes for another. */
  private static final int BASE_BYTES = 200_000;
  private static final int STEP_BYTES = 1_111;
  /**
   * Pass times are wall-clock, and the 20 client processes start on the same (in CI: 2 shared) cores, so the
   * loop thread is preempted: 400 ms was seen at a load average of 12. The bound only catches a pass that
   * blocks for a second (a sleep, a stuck write); FairnessTest holds the tight bound under attack. The
   * figure is printed for the record.
   */
  private static final long LONGEST_PASS_MAX_MICROS = 1_000_000;
  private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

  @TempDir Path dir;

  /** The loop's figures since the last call (asking resets them), over the SelectFTP door from loopback. */
  private static Response.ServerStats stats(int port) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertInstanceOf(Response.Hello.class, MessageCodec.decodeResponse(in.readNBytes(in.readInt())));
      ByteBuffer frame = MessageCodec.encode(new Request.Stats());
      s.getOutputStream().write(frame.array(), frame.arrayOffset(), frame.remaining());
      return assertInstanceOf(Response.ServerStats.class, MessageCodec.decodeResponse(in.readNBytes(in.readInt())));
    }
  }

  @Test
  void twentyCurlAndFtplibProcessesAtOnceEachGetTheirOwnFileBackByteForByte() throws Exception {
    assumeTrue(ClientProcess.installed("curl", "--version"), "curl is not installed");
    assumeTrue(ClientProcess.installed("python3", "--version"), "python3 is not installed");
    Path script = dir.resolve("ftplib_one_client.py");
    try (InputStream in = getClass().getResourceAsStream("/ftp/ftplib_one_client.py")) {
      Files.write(script, in.readAllBytes());
    }
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir.resolve("data")).withFtpPort(0))) {
      String base = "ftp://xiaoyu:123456@127.0.0.1:" + server.ftpPort() + "/";
      List<List<String>> commands = new ArrayList<>();
      for (int n = 0; n < CLIENTS; n++) {
        byte[] bytes = new byte[BASE_BYTES + n * STEP_BYTES];
        new Random(n).nextBytes(bytes);
        Path up = Files.write(dir.resolve("up" + n + ".bin"), bytes);
        String back = dir.resolve("back" + n + ".bin").toString();
        String name = "c" + n + ".bin";
        commands.add(n % 2 == 0
            // One curl process, one control connection: the upload, then (--next) the download.
            ? List.of("curl", "-sS", "--fail", "-T", up.toString(), base + name, "--next", "-sS", "--fail", "-o", back,
                base + name)
            : List.of("python3", script.toString(), String.valueOf(server.ftpPort()), name, up.toString(), back));
      }
      stats(server.port()); // resets the figures: what follows is under the 20 clients
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Result>> runs = new ArrayList<>();
      try {
        for (List<String> c : commands) runs.add(pool.submit(() -> ClientProcess.run(dir, c)));
        for (int n = 0; n < CLIENTS; n++) {
          Result r = runs.get(n).get();
          assertEquals(0, r.code(), "client " + n + " " + commands.get(n).get(0) + ": " + r.output());
        }
      } finally {
        pool.shutdownNow();
      }
      Response.ServerStats loop = stats(server.port());
      System.out.printf("[concurrent] %d clients (curl and ftplib), each %d-%d KB up and down: longest loop pass "
          + "%.1f ms, p99 %.2f ms over %d passes%n", CLIENTS, BASE_BYTES / 1000,
          (BASE_BYTES + (CLIENTS - 1) * STEP_BYTES) / 1000, loop.maxPassMicros() / 1e3, loop.p99PassMicros() / 1e3,
          loop.loopPasses());
      for (int n = 0; n < CLIENTS; n++) {
        String sent = ClientProcess.sha256(dir.resolve("up" + n + ".bin"));
        assertEquals(sent, ClientProcess.sha256(dir.resolve("data/home/xiaoyu/c" + n + ".bin")), "stored " + n);
        assertEquals(sent, ClientProcess.sha256(dir.resolve("back" + n + ".bin")), "read back " + n);
      }
      assertTrue(loop.maxPassMicros() < LONGEST_PASS_MAX_MICROS, "a loop pass took " + loop.maxPassMicros() + " us");
    }
  }
}
