package dev.selectftp.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-slice request bound with a byte-level handler: the handler says what a request is (here every
 * byte), the connection counts them, and a client pipelining many requests is served at most
 * {@link ConnectionLimits#REQUESTS_PER_SLICE} per loop pass, every one of them eventually.
 */
class ConnectionSliceTest {
  private static final int REQUESTS = 1_000;

  private final EventLoop loop;
  private final ServerSocketChannel listener;
  /** Loop passes so far: a timer that schedules itself again runs once per pass. */
  private long passes;

  ConnectionSliceTest() throws IOException {
    loop = new EventLoop();
    new Thread(loop, "test-loop").start();
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() throws Exception {
    listener.close();
    loop.close();
    loop.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void countPasses() {
    passes++;
    loop.schedule(0, this::countPasses);
  }

  /** Every byte is one request; records the pass in which it was handled. */
  private Handler perByte(List<Long> handledIn, CountDownLatch all) {
    return new TestConnections.Base() {
      @Override public boolean onInput(ByteBuffer source) {
        source.get();
        handledIn.add(passes);
        all.countDown();
        return true;
      }
      @Override public int readWindow() { return ConnectionLimits.FRAME_READ_BYTES; }
    };
  }

  @Test
  void aPipeliningClientIsServedAtMostTheSliceBoundPerPassAndEveryRequestIsServed() throws Exception {
    List<Long> handledIn = new ArrayList<>();
    CountDownLatch all = new CountDownLatch(REQUESTS);
    try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
      SocketChannel accepted = listener.accept();
      loop.post(this::countPasses);
      TestConnections.open(loop, accepted, null, peer -> perByte(handledIn, all));
      ByteBuffer requests = ByteBuffer.allocate(REQUESTS);
      while (requests.hasRemaining()) client.write(requests);
      assertTrue(all.await(10, TimeUnit.SECONDS), "every request is served");
    }
    CompletableFuture<Map<Long, Integer>> perPass = new CompletableFuture<>();
    loop.post(() -> {
      Map<Long, Integer> counts = new TreeMap<>();
      for (long pass : handledIn) counts.merge(pass, 1, Integer::sum);
      perPass.complete(counts);
    });
    Map<Long, Integer> counts = perPass.get(5, TimeUnit.SECONDS);
    int most = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    System.out.printf("[slice] %d requests over %d passes, at most %d in one%n", REQUESTS, counts.size(), most);
    assertEquals(REQUESTS, counts.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(most <= ConnectionLimits.REQUESTS_PER_SLICE, "a pass handled " + most);
    assertTrue(counts.size() >= REQUESTS / ConnectionLimits.REQUESTS_PER_SLICE, "passes: " + counts.size());
  }
}
