package dev.selectftp.server;

import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.Selectable;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;

/**
 * Run in its own JVM by {@link FailFastTest}: an event loop wired to {@link FailFast} as {@link Main} wires
 * it, a shutdown hook that waits for that loop forever (as a graceful shutdown would), and an attachment
 * that throws OutOfMemoryError. The process must still end, with {@link FailFast#EXIT_LOOP_DIED}.
 */
public final class LoopDeathProbe {
  private LoopDeathProbe() {}

  public static void main(String[] args) throws Exception {
    FailFast failFast = FailFast.arm();
    EventLoop loop = new EventLoop();
    loop.onDeath(failFast::loopDied);
    Pipe pipe = Pipe.open();
    loop.register(pipe.source(), SelectionKey.OP_READ, new Selectable() {
      @Override
      public void onReady(int readyOps) {
        throw new OutOfMemoryError("simulated: Java heap space");
      }

      @Override
      public void close() {
        // nothing held
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Thread.sleep(Long.MAX_VALUE); // a hook stuck on the dead loop
      } catch (InterruptedException ignored) {
        // never
      }
    }, "stuck-hook"));
    Thread thread = new Thread(loop, "ftp-loop");
    thread.start();
    System.out.println("probe: loop running");
    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
    Thread.sleep(Long.MAX_VALUE); // main waits like Main does; only FailFast ends this process
  }
}
