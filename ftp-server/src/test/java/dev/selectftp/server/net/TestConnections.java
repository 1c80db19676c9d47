package dev.selectftp.server.net;

import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.storage.ByteSink;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real {@link Connection} on a test's loop, around a handler that says only what the test is about. */
final class TestConnections {
  private TestConnections() {}

  /** A logged-in handler that streams nothing and ignores the connection's events; tests override the input side. */
  abstract static class Base implements Handler {
    @Override public void onOpen() {}
    @Override public boolean midMessage() { return false; }
    @Override public long bufferedBytes() { return 0; }
    @Override public boolean stream(ByteSink out) { return false; }
    @Override public boolean isTransferring() { return false; }
    @Override public boolean isLoggedIn() { return true; }
    @Override public void onShutdown() {}
    @Override public void onTimeout(String reason) {}
    @Override public void onClose() {}
  }

  /** Makes and registers a connection for {@code accepted} on the loop thread; returns once it is registered. */
  static void open(EventLoop loop, SocketChannel accepted, TlsSupport tls, Function<Peer, Handler> handlers)
      throws Exception {
    CompletableFuture<Void> opened = new CompletableFuture<>();
    loop.post(() -> {
      Connection c = new Connection(loop, accepted, "127.0.0.1", tls, handlers, () -> { });
      try {
        c.register();
        opened.complete(null);
      } catch (IOException e) {
        opened.completeExceptionally(e);
      }
    });
    opened.get(5, TimeUnit.SECONDS);
  }
}
