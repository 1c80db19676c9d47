package dev.selectftp.server.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the selector and every socket. It dispatches readiness to attachments, runs
 * timers and tasks posted from other threads, and knows nothing of the protocol.
 */
public final class EventLoop implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  /**
   * One scratch buffer for every connection: reads and file slices pass through it, never kept. Direct,
   * so socket and file I/O skip the JDK's copy through a temporary direct buffer.
   */
  public static final int SCRATCH_BYTES = 256 * 1024;
  /** Upper bound on one select's wait, so periodic work (timeouts) runs even when idle. */
  private static final long MAX_WAIT_MILLIS = 1_000;
  /**
   * Dispatching stops once a pass has run this long; the keys not reached wait in {@link #backlog} and
   * go first next pass. Each connection's own work per event is bounded too, so a pass stays near this
   * figure however many connections are ready at once.
   */
  static final long PASS_BUDGET_NANOS = 2_000_000;

  private final Selector selector;
  private final Timers timers = new Timers();
  private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();
  private final LoopStats stats = new LoopStats();
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
  /** Ready keys not yet served, oldest first; a key selected again keeps its place. */
  private final LinkedHashSet<SelectionKey> backlog = new LinkedHashSet<>();
  private volatile boolean running = true;
  private volatile Thread thread;

  public EventLoop() throws IOException {
    this.selector = Selector.open();
  }

  /** Registers a channel with this loop; call on the loop thread. */
  public SelectionKey register(SelectableChannel channel, int ops, Selectable attachment) throws IOException {
    channel.configureBlocking(false);
    return channel.register(selector, ops, attachment);
  }

  /** Runs {@code task} on the loop thread after {@code delayNanos}; call on the loop thread. */
  public void schedule(long delayNanos, Runnable task) {
    timers.schedule(System.nanoTime() + delayNanos, task);
  }

  /** Runs {@code task} on the loop thread soon; safe from any thread (how helpers post results back). */
  public void post(Runnable task) {
    posted.add(task);
    selector.wakeup();
  }

  /** The shared scratch buffer; valid only within one callback on the loop thread. */
  public ByteBuffer scratch() {
    return scratch.clear();
  }

  public LoopStats stats() {
    return stats;
  }



  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (running) {
        if (backlog.isEmpty()) {
          selector.select(timers.millisUntilNext(System.nanoTime(), MAX_WAIT_MILLIS));
        } else {
          selector.selectNow(); // work is waiting: gather new readiness without sleeping
        }
        long start = System.nanoTime();
        dispatch(start);
        runPosted();
        timers.runDue(System.nanoTime());
        stats.record(System.nanoTime() - start);
      }
    } catch (IOException | ClosedSelectorException e) {
      log.error("event loop stopped by a selector failure", e);
    } finally {
      closeAll();
    }
  }

  /** Serves ready keys in arrival order until the pass budget is spent. */
  private void dispatch(long passStart) {
    Set<SelectionKey> selected = selector.selectedKeys();
    backlog.addAll(selected);
    selected.clear();
    Iterator<SelectionKey> keys = backlog.iterator();
    while (keys.hasNext() && System.nanoTime() - passStart < PASS_BUDGET_NANOS) {
      SelectionKey key = keys.next();
      keys.remove();
      if (!key.isValid()) continue;
      Selectable attachment = (Selectable) key.attachment();
      try {
        attachment.onReady(key.readyOps());
      } catch (RuntimeException e) {
        // One connection's bug must not stop the loop for everyone else.
        log.error("closing {} after an unexpected failure", attachment, e);
        attachment.close();
      }
    }
  }

  private void runPosted() {
    Runnable task;
    while ((task = posted.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("posted task failed", e);
      }
    }
  }

  /** Every attachment still registered, for shutdown and sweeps; call on the loop thread. */
  public Iterable<Selectable> attachments() {
    return () -> selector.keys().stream().map(k -> (Selectable) k.attachment()).iterator();
  }

  private void closeAll() {
    try {
      for (SelectionKey key : selector.keys()) ((Selectable) key.attachment()).close();
      selector.close();
    } catch (IOException | ClosedSelectorException e) {
      log.warn("error while closing the selector", e);
    }
  }

  /** Stops the loop; it closes every channel on its way out. Safe from any thread, safe twice. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
  }

  /** Waits for the loop thread to finish after {@link #close()}. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    Thread t = thread;
    if (t == null) return true;
    t.join(unit.toMillis(timeout));
    return !t.isAlive();
  }
}
