package dev.selectftp.server.testing;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real event loop on its own thread and a real {@link Background} pool posting its results to it, as the
 * server wires its store pool: a core call made through {@link #call} starts on the loop thread, its store
 * work runs on a helper thread, and its answer is read back with the thread it arrived on.
 */
public final class LoopAndPool implements AutoCloseable {
  /** The loop thread's name, for asserting where an answer arrived. */
  public static final String LOOP_THREAD = "test-loop";
  /** Long enough for a helper thread under a loaded machine; an answer that never comes fails the test. */
  private static final long ANSWER_SECONDS = 10;

  private final EventLoop loop;
  private final Background pool;

  /** One answer: exactly one of {@code value} and {@code failure} set, and the thread that got it. */
  public record Answer<T>(T value, Exception failure, String thread) {}

  public LoopAndPool() throws IOException {
    loop = new EventLoop();
    new Thread(loop, LOOP_THREAD).start();
    pool = new Background("test-store", 1, loop::post);
  }

  /** The pool: work on its helper thread, results on the loop. */
  public Background pool() {
    return pool;
  }

  /**
   * Makes {@code call} on the loop thread and waits for the answer it hands its result.
   *
   * @throws AssertionError if no answer came, or a second one
   */
  public <T> Answer<T> call(Consumer<Background.Result<T>> call) throws Exception {
    CompletableFuture<Answer<T>> answer = new CompletableFuture<>();
    loop.post(() -> call.accept((value, failure) -> {
      if (!answer.complete(new Answer<>(value, failure, Thread.currentThread().getName()))) {
        throw new AssertionError("answered twice");
      }
    }));
    try {
      return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + ANSWER_SECONDS + " s", e);
    }
  }

  /** Runs {@code task} on the loop thread and waits for it. */
  public void onLoop(Runnable task) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.post(() -> {
      task.run();
      done.complete(null);
    });
    done.get(ANSWER_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    pool.close();
    loop.close();
    loop.awaitTermination(ANSWER_SECONDS, TimeUnit.SECONDS);
  }
}
