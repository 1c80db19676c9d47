package dev.selectftp.server.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's contracts with its attachments: fail fast on errors, isolate bugs, serve again on request. */
class EventLoopTest {
  private final EventLoop loop;
  private final Thread thread;
  private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

  EventLoopTest() throws IOException {
    loop = new EventLoop();
    thread = new Thread(loop, "test-loop");
  }

  @AfterEach
  void stop() throws Exception {
    loop.close();
    loop.awaitTermination(5, TimeUnit.SECONDS);
    for (Pipe p : pipes) {
      p.sink().close();
      p.source().close();
    }
  }

  /** An attachment on a pipe's read end; returns the write end, to make it readable. */
  private Pipe.SinkChannel attach(int ops, IntConsumer onReady, AtomicBoolean closed) throws Exception {
    Pipe pipe = Pipe.open();
    pipes.add(pipe);
    CompletableFuture<SelectionKey> key = new CompletableFuture<>();
    loop.post(() -> {
      try {
        key.complete(loop.register(pipe.source(), ops, new Selectable() {
          @Override
          public void onReady(int readyOps) {
            onReady.accept(readyOps);
          }

          @Override
          public void close() {
            closed.set(true);
            try {
              pipe.source().close(); // as a connection does: its key goes with its channel
            } catch (IOException ignored) {
              // closing a pipe end does not fail
            }
          }
        }));
      } catch (IOException e) {
        key.completeExceptionally(e);
      }
    });
    key.get(5, TimeUnit.SECONDS);
    return pipe.sink();
  }

  private static void poke(Pipe.SinkChannel sink) throws IOException {
    sink.write(ByteBuffer.wrap(new byte[] {1}));
  }

  @Test
  void anErrorInAnAttachmentEndsTheLoopAndReachesTheDeathHandler() throws Exception {
    CompletableFuture<Throwable> death = new CompletableFuture<>();
    loop.onDeath(death::complete);
    thread.start();
    Error boom = new OutOfMemoryError("simulated");
    Pipe.SinkChannel sink = attach(SelectionKey.OP_READ, ops -> {
      throw boom;
    }, new AtomicBoolean());
    poke(sink);
    assertSame(boom, death.get(5, TimeUnit.SECONDS), "the death handler gets the Error itself");
    thread.join(5_000);
    assertFalse(thread.isAlive(), "the loop thread ends");
    assertSame(boom, loop.death());
  }

  @Test
  void aRuntimeExceptionClosesOnlyThatAttachment() throws Exception {
    CompletableFuture<Throwable> death = new CompletableFuture<>();
    loop.onDeath(death::complete);
    thread.start();
    AtomicBoolean buggyClosed = new AtomicBoolean();
    Pipe.SinkChannel buggy = attach(SelectionKey.OP_READ, ops -> {
      throw new IllegalStateException("a bug in one session");
    }, buggyClosed);
    CompletableFuture<Integer> served = new CompletableFuture<>();
    AtomicBoolean healthyClosed = new AtomicBoolean();
    Pipe.SinkChannel healthy = attach(SelectionKey.OP_READ, served::complete, healthyClosed);
    poke(buggy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!buggyClosed.get() && System.nanoTime() < deadline) Thread.sleep(10);
    assertTrue(buggyClosed.get(), "the failing attachment is closed");
    poke(healthy);
    assertEquals(SelectionKey.OP_READ, served.get(5, TimeUnit.SECONDS) & SelectionKey.OP_READ);
    assertFalse(healthyClosed.get());
    assertTrue(thread.isAlive());
    assertNull(loop.death());
    assertFalse(death.isDone());
  }

  @Test
  void attachmentsAskingAgainAreServedNextPassWithoutReadinessInTurn() throws Exception {
    thread.start();
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<SelectionKey> a = new CompletableFuture<>();
    CompletableFuture<SelectionKey> b = new CompletableFuture<>();
    // No interest at all: only again() brings them back, and each asks for two more turns.
    a.complete(attachForKey(0, ops -> {
      order.add("a" + ops);
      if (order.stream().filter(x -> x.startsWith("a")).count() < 3) loop.again(a.join());
    }));
    b.complete(attachForKey(0, ops -> {
      order.add("b" + ops);
      if (order.stream().filter(x -> x.startsWith("b")).count() < 3) loop.again(b.join());
    }));
    loop.post(() -> {
      loop.again(a.join());
      loop.again(b.join());
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (order.size() < 6 && System.nanoTime() < deadline) Thread.sleep(10);
    Thread.sleep(100);
    assertEquals(List.of("a0", "b0", "a0", "b0", "a0", "b0"), order,
        "served again with no ready ops, taking turns, and no more than asked");
  }

  @Test
  void aSliceEndsWithinItsBudget() throws Exception {
    thread.start();
    // The slice began at or before the handler's first instant, so an answer asked after that instant plus
    // the budget must be "expired". Each "not yet" is checked against the instant it was asked at, not
    // against a duration measured around it, so a busy machine preempting the spin cannot fail the test.
    CompletableFuture<Long> lateNotYet = new CompletableFuture<>();
    Pipe.SinkChannel sink = attach(SelectionKey.OP_READ, ops -> {
      long start = System.nanoTime();
      long latestNotYet = -1;
      while (true) {
        long asked = System.nanoTime() - start;
        if (loop.sliceExpired()) break;
        latestNotYet = Math.max(latestNotYet, asked);
        Thread.onSpinWait();
      }
      lateNotYet.complete(latestNotYet);
    }, new AtomicBoolean());
    poke(sink);
    long latestNotYet = lateNotYet.get(5, TimeUnit.SECONDS);
    assertTrue(latestNotYet < EventLoop.SLICE_BUDGET_NANOS,
        "the slice was still running when asked " + latestNotYet + " ns into it");
  }

  private SelectionKey attachForKey(int ops, IntConsumer onReady) throws Exception {
    Pipe pipe = Pipe.open();
    pipes.add(pipe);
    CompletableFuture<SelectionKey> key = new CompletableFuture<>();
    loop.post(() -> {
      try {
        key.complete(loop.register(pipe.source(), ops, new Selectable() {
          @Override
          public void onReady(int readyOps) {
            onReady.accept(readyOps);
          }

          @Override
          public void close() {
            // nothing held
          }
        }));
      } catch (IOException e) {
        key.completeExceptionally(e);
      }
    });
    return key.get(5, TimeUnit.SECONDS);
  }
}
