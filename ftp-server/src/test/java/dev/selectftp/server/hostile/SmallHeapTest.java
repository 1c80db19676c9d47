package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.selectftp.common.Frames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, class 3 and fail fast: the real server in its own JVM on a 64 MiB heap, under slow frames
 * (a header and one byte) from 2,400 connections, either keeps serving a bystander or exits non-zero
 * within 5 s. Never a live process that serves nobody (before the fix, the loop died of
 * OutOfMemoryError and the process stayed up).
 */
class SmallHeapTest {
  private static final String HEAP = "-Xmx64m";
  private static final int PER_KIND = 1_200;

  @TempDir Path dir;

  @Test
  void slowFramesOnASmallHeapLeaveTheServerServingOrGone() throws Exception {
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Path output = logs.resolve("server.out");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server = new ProcessBuilder(List.of(java, HEAP, "-cp", System.getProperty("java.class.path"),
        "dev.selectftp.server.Main", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--data", dir.resolve("data").toString(), "--log-dir", logs.toString(), "--iterations", "4096",
        "--ftp-port", "0"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    List<SocketChannel> attackers = new ArrayList<>();
    try {
      awaitAccepting(server, port, output);
      // Over the cap before login (the attack of the issue: 64 KiB each on the old code), and at it.
      byte[] overCap = ByteBuffer.allocate(5).putInt(Frames.MAX_FRAME_BYTES).put((byte) '{').array();
      byte[] atCap = ByteBuffer.allocate(5).putInt(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN).put((byte) '{').array();
      for (int i = 0; i < PER_KIND && server.isAlive(); i += 100) {
        attackers.addAll(quietly(() -> Attackers.openAndSend(port, 100, overCap)));
        attackers.addAll(quietly(() -> Attackers.openAndSend(port, 100, atCap)));
      }
      long attacked = System.nanoTime();
      String verdict = null;
      while (verdict == null && System.nanoTime() - attacked < TimeUnit.SECONDS.toNanos(5)) {
        if (!server.isAlive()) {
          verdict = "exited with " + server.exitValue();
          assertTrue(server.exitValue() != 0, "a server that gives up must say so with its exit status");
        } else if (serves(port)) {
          verdict = "kept serving";
        }
      }
      System.out.printf("[small-heap] %s, %d slow-frame connections opened: the server %s%n", HEAP,
          attackers.size(), verdict == null ? "neither served nor exited within 5 s" : verdict);
      if (verdict == null) fail("within 5 s of the attack the server neither served a bystander nor exited: "
          + Files.readString(output));
    } finally {
      Attackers.closeAll(attackers);
      server.destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private interface Open {
    List<SocketChannel> run() throws IOException;
  }

  /** A refused or reset connect during the attack is the server's business, not the test's. */
  private static List<SocketChannel> quietly(Open open) {
    try {
      return open.run();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A bystander's connect+login+list within 2 s. */
  private static boolean serves(int port) {
    try (RawClient c = RawClient.connect(port, "127.0.0.9")) {
      c.socket.setSoTimeout(2_000);
      c.login("xiaoyu", "123456");
      return !c.list().entries().isEmpty();
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  private static void awaitAccepting(Process p, int port, Path output) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IOException("server exited with " + p.exitValue() + ": " + Files.readString(output));
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("server did not accept within 30 s: " + Files.readString(output));
  }
}
