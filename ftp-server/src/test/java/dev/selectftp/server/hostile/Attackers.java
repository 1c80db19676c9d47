package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared moves of the scaled-down attacks: bystander timings, loop figures, many raw sockets. */
final class Attackers {
  /**
   * Send buffer of the attacking sockets: small, so an attack stalls on the server's caps after kilobytes
   * rather than after the megabytes of kernel buffers loopback would otherwise accept (CPU, not the point).
   */
  private static final int SEND_BUFFER = 16 * 1024;

  private Attackers() {}

  /** The loop's figures since the previous call (the stats request resets them), asked from loopback. */
  static Response.ServerStats stats(int port) throws IOException {
    try (RawClient c = RawClient.connect(port)) {
      c.send(new Request.Stats());
      return c.expect(Response.ServerStats.class);
    }
  }

  /** {median, max} of {@code rounds} bystander visits (connect, log in, list), in milliseconds. */
  static double[] bystanderMillis(int port, int rounds) throws IOException {
    double[] took = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      try (RawClient c = RawClient.connect(port, "127.0.0.9")) {
        c.login("xiaoyu", "123456");
        assertTrue(c.list().entries().size() > 0, "the bystander sees the demo files");
      }
      took[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(took);
    return new double[] {took[rounds / 2], took[rounds - 1]};
  }

  /** {@code copies} of {@code frame} back to back, for pipelining. */
  static byte[] repeated(byte[] frame, int copies) {
    byte[] block = new byte[frame.length * copies];
    for (int i = 0; i < copies; i++) System.arraycopy(frame, 0, block, i * frame.length, frame.length);
    return block;
  }

  /** Several frames back to back. */
  static byte[] concat(byte[]... frames) {
    int total = Arrays.stream(frames).mapToInt(f -> f.length).sum();
    ByteBuffer out = ByteBuffer.allocate(total);
    for (byte[] f : frames) out.put(f);
    return out.array();
  }

  /** Opens {@code count} plain sockets (no hello read) that each send {@code bytes} once. */
  static List<SocketChannel> openAndSend(int port, int count, byte[] bytes) throws IOException {
    List<SocketChannel> out = new ArrayList<>(count);
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    for (int i = 0; i < count; i++) {
      SocketChannel ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER); // the kernel would hold megabytes otherwise
      ch.connect(server);
      ch.write(ByteBuffer.wrap(bytes));
      out.add(ch);
    }
    return out;
  }

  /**
   * Writes {@code block} to every channel, non-blocking, until none of them accepts a byte for
   * {@code quietMillis} or {@code maxMillis} pass: the server has stopped reading them all. Returns the
   * bytes written.
   */
  static long writeUntilStalled(List<SocketChannel> channels, byte[] block, long quietMillis, long maxMillis)
      throws IOException {
    for (SocketChannel ch : channels) ch.configureBlocking(false);
    ByteBuffer[] pending = new ByteBuffer[channels.size()];
    boolean[] hungUp = new boolean[channels.size()];
    long total = 0;
    long start = System.nanoTime();
    long lastProgress = start;
    while ((System.nanoTime() - lastProgress) / 1_000_000 < quietMillis
        && (System.nanoTime() - start) / 1_000_000 < maxMillis) {
      boolean progress = false;
      for (int i = 0; i < channels.size(); i++) {
        if (hungUp[i]) continue;
        if (pending[i] == null || !pending[i].hasRemaining()) pending[i] = ByteBuffer.wrap(block);
        try {
          int n = channels.get(i).write(pending[i]);
          if (n > 0) {
            total += n;
            progress = true;
          }
        } catch (IOException closedByServer) {
          hungUp[i] = true; // counted as stalled: the server hung up
        }
      }
      if (progress) {
        lastProgress = System.nanoTime();
      } else {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return total;
  }

  /**
   * Logged-in clients that pipeline {@code block} forever from their own threads and never read; returns
   * once none of them has written a byte for {@code quietMillis} (the server stopped reading them all), or
   * after {@code maxMillis}. Returns the bytes written.
   */
  static long pipelineWithoutReading(List<RawClient> clients, byte[] block, long quietMillis, long maxMillis)
      throws InterruptedException {
    java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    for (RawClient c : clients) {
      try {
        c.socket.setSendBufferSize(SEND_BUFFER);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Thread t = new Thread(() -> {
        try {
          while (true) {
            c.rawOut().write(block);
            written.addAndGet(block.length);
          }
        } catch (IOException closed) {
          // the test closes the socket at the end
        }
      }, "never-reads");
      t.setDaemon(true);
      t.start();
    }
    long start = System.nanoTime();
    long last = -1;
    while ((System.nanoTime() - start) / 1_000_000 < maxMillis) {
      Thread.sleep(quietMillis);
      long now = written.get();
      if (now == last) break;
      last = now;
    }
    return written.get();
  }

  static void closeAll(List<SocketChannel> channels) {
    for (SocketChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
