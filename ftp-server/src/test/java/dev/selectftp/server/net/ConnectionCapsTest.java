package dev.selectftp.server.net;

import dev.selectftp.server.storage.ByteSink;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.protocol.selectftp.FrameHandler;
import dev.selectftp.server.protocol.selectftp.Framing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-connection caps with the kernel out of the way: the server side's send buffer is made tiny, so a
 * client that never reads meets the connection's own output cap after a few replies, and what the
 * connection then holds can be compared with the bound.
 */
class ConnectionCapsTest {
  private static final int TINY_SOCKET_BUFFER = 4096;
  /** Each reply is about this large: several fit under the cap before login, and it is crossed by one. */
  private static final int REPLY_TEXT = 300;

  private final EventLoop loop;
  private final Thread thread;
  private final ServerSocketChannel listener;
  private SocketChannel client;
  private Connection connection;

  ConnectionCapsTest() throws IOException {
    loop = new EventLoop();
    thread = new Thread(loop, "test-loop");
    thread.start();
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) client.close();
    listener.close();
    loop.close();
    loop.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Answers every frame with a reply of {@link #REPLY_TEXT} characters, logged in or not as told. */
  private static FrameHandler replying(dev.selectftp.server.protocol.selectftp.Peer peer, boolean loggedIn) {
    return new FrameHandler() {
      @Override
      public void onOpen() {}

      @Override
      public void onFrame(byte[] payload) {
        peer.send(new Response.Ok(Response.OK, "x".repeat(REPLY_TEXT)));
      }

      @Override
      public long rawBytesWanted() {
        return 0;
      }

      @Override
      public void onRaw(ByteBuffer source) {
        throw new IllegalStateException("no raw bytes here");
      }

      @Override
      public int maxFrameBytes() {
        return loggedIn ? Frames.MAX_FRAME_BYTES : Frames.MAX_FRAME_BYTES_BEFORE_LOGIN;
      }

      @Override
      public boolean stream(ByteSink out) {
        return false;
      }

      @Override
      public boolean isTransferring() {
        return false;
      }

      @Override
      public boolean isLoggedIn() {
        return loggedIn;
      }

      @Override
      public void onClose() {}
    };
  }

  private void connect(boolean loggedIn) throws Exception {
    client = SocketChannel.open();
    client.setOption(StandardSocketOptions.SO_RCVBUF, TINY_SOCKET_BUFFER);
    client.connect(listener.getLocalAddress());
    SocketChannel accepted = listener.accept();
    accepted.setOption(StandardSocketOptions.SO_SNDBUF, TINY_SOCKET_BUFFER);
    accepted.configureBlocking(false);
    CompletableFuture<Connection> opened = new CompletableFuture<>();
    loop.post(() -> {
      Connection c = new Connection(loop, accepted, "127.0.0.1", null,
          peer -> new Framing(peer, p -> replying(p, loggedIn)), () -> { });
      try {
        c.register();
        opened.complete(c);
      } catch (IOException e) {
        opened.completeExceptionally(e);
      }
    });
    connection = opened.get(5, TimeUnit.SECONDS);
  }

  /** Pipelines pwd frames without reading until the server stops taking them; returns the bytes written. */
  private long pipelineUntilStalled() throws Exception {
    byte[] one = MessageCodec.encode(new Request.PrintDir()).array();
    client.configureBlocking(false);
    long written = 0;
    long lastProgress = System.nanoTime();
    ByteBuffer pending = ByteBuffer.wrap(one);
    while (System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(500)) {
      if (!pending.hasRemaining()) pending = ByteBuffer.wrap(one);
      int n = client.write(pending);
      if (n > 0) {
        written += n;
        lastProgress = System.nanoTime();
      } else {
        Thread.sleep(5);
      }
    }
    return written;
  }

  private long held() throws Exception {
    CompletableFuture<Long> bytes = new CompletableFuture<>();
    loop.post(() -> bytes.complete(connection.bufferedBytes()));
    return bytes.get(5, TimeUnit.SECONDS);
  }

  private static long oneReply() {
    return MessageCodec.encode(new Response.Ok(Response.OK, "x".repeat(REPLY_TEXT))).remaining();
  }

  @Test
  void beforeLoginAClientThatNeverReadsCostsAtMostTheSmallCapsBound() throws Exception {
    connect(false);
    long written = pipelineUntilStalled();
    long held = held();
    long bound = ConnectionLimits.MAX_QUEUED_OUTPUT_BEFORE_LOGIN + oneReply() + Frames.HEADER_BYTES
        + Frames.MAX_FRAME_BYTES_BEFORE_LOGIN;
    System.out.printf("[caps] before login: %d bytes pipelined, %d held (bound %d)%n", written, held, bound);
    assertTrue(written > 0);
    assertTrue(held <= bound, "held " + held + " > " + bound);
    assertTrue(held > ConnectionLimits.MAX_QUEUED_OUTPUT_BEFORE_LOGIN, "the queue reached its cap: " + held);
  }

  @Test
  void loggedInAClientThatNeverReadsCostsAtMostTheCapsBound() throws Exception {
    connect(true);
    long written = pipelineUntilStalled();
    long held = held();
    long bound = ConnectionLimits.MAX_QUEUED_OUTPUT + oneReply() + ConnectionLimits.FRAME_READ_BYTES;
    System.out.printf("[caps] logged in: %d bytes pipelined, %d held (bound %d)%n", written, held, bound);
    assertTrue(held <= bound, "held " + held + " > " + bound);
    assertTrue(held > ConnectionLimits.MAX_QUEUED_OUTPUT, "the queue reached its cap: " + held);
  }
}
