package dev.selectftp.server.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the selector and every socket. It dispatches readiness to attachments, runs
 * timers and tasks posted from other threads, and knows nothing of the protocol.
 *
 * <p>Fairness: each pass serves the ready attachments in arrival order, each for one bounded slice
 * ({@link #sliceExpired()}), until {@link #PASS_BUDGET_NANOS} is spent. An attachment that stopped with
 * work left asks to be served again with {@link #again}; it goes behind everything already waiting, so
 * connections take turns whatever one of them has queued.
 *
 * <p>Fail fast: a {@link RuntimeException} from one attachment closes that attachment only; any other
 * {@link Throwable} (an {@link Error} such as {@link OutOfMemoryError}) ends the loop and is handed to the
 * death handler, because a process whose loop is gone serves nobody and must exit.
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
  /**
   * Longest one attachment may work in one pass before yielding (checked between requests, so one request
   * may overrun it). Four slices fit in a pass, and a pass never grants a slice past its own end.
   */
  static final long SLICE_BUDGET_NANOS = 500_000;

  private final Selector selector;
  private final Timers timers = new Timers();
  private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();
  private final LoopStats stats = new LoopStats();
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
  /**
   * Keys to serve, oldest first, with the operations the selector reported (0 for a key served again
   * without new readiness); a key selected again keeps its place and gains the new operations.
   */
  private final LinkedHashMap<SelectionKey, Integer> backlog = new LinkedHashMap<>();
  /** Keys that asked during this pass to be served again; they join the backlog behind the newly ready. */
  private final LinkedHashSet<SelectionKey> again = new LinkedHashSet<>();
  private long sliceDeadline;
  private volatile boolean running = true;
  private volatile Thread thread;
  private volatile Consumer<Throwable> deathHandler = t -> log.error("event loop died: {}", t.toString());
  private volatile Throwable death;

  public EventLoop() throws IOException {
    this.selector = Selector.open();
  }

  /**
   * Who is told when the loop thread dies of anything but a close: called once, on the dying loop thread,
   * before it releases the channels. It must not wait for the loop. Set before {@link #run} starts.
   */
  public void onDeath(Consumer<Throwable> handler) {
    this.deathHandler = handler;
  }

  /** What killed the loop thread, or null while it runs or after a normal close. */
  public Throwable death() {
    return death;
  }

  /**
   * Serves {@code key}'s attachment again in the next pass, without waiting for new readiness, behind the
   * keys already waiting (its {@code onReady} gets 0 ops unless the selector reports some meanwhile). For
   * an attachment that stopped at the end of its slice with input still kept. Call on the loop thread.
   */
  public void again(SelectionKey key) {
    again.add(key);
  }

  /**
   * True once the current attachment's slice is spent: {@link #SLICE_BUDGET_NANOS} since it was called,
   * or the end of the pass, whichever comes first. Meaningful only inside {@code onReady}.
   */
  public boolean sliceExpired() {
    return System.nanoTime() - sliceDeadline >= 0;
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
        if (backlog.isEmpty() && again.isEmpty()) {
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
    } catch (Throwable t) { // NOPMD: a selector failure or an Error: the loop is gone, the process must learn of it
      died(t);
    } finally {
      closeAll();
    }
  }

  /** Tells the death handler first: logging or closing may fail again when the heap is exhausted. */
  private void died(Throwable t) {
    death = t;
    try {
      deathHandler.accept(t);
    } catch (Throwable more) { // NOPMD: nothing more can be done on a dying thread
      t.addSuppressed(more);
    }
  }

  /**
   * Serves waiting keys in arrival order, one slice each, until the pass budget is spent. Keys asking to be
   * served again during this pass wait for the next one, so a pass serves each key at most once.
   */
  private void dispatch(long passStart) {
    for (SelectionKey key : selector.selectedKeys()) backlog.merge(key, key.readyOps(), (a, b) -> a | b);
    selector.selectedKeys().clear();
    for (SelectionKey key : again) backlog.putIfAbsent(key, 0);
    again.clear();
    long passEnd = passStart + PASS_BUDGET_NANOS;
    Iterator<Map.Entry<SelectionKey, Integer>> keys = backlog.entrySet().iterator();
    long now;
    while (keys.hasNext() && (now = System.nanoTime()) - passEnd < 0) {
      Map.Entry<SelectionKey, Integer> next = keys.next();
      SelectionKey key = next.getKey();
      int ops = next.getValue();
      keys.remove();
      if (!key.isValid()) continue;
      long sliceEnd = now + SLICE_BUDGET_NANOS;
      sliceDeadline = sliceEnd - passEnd < 0 ? sliceEnd : passEnd;
      Selectable attachment = (Selectable) key.attachment();
      try {
        attachment.onReady(ops);
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
      for (SelectionKey key : selector.keys()) {
        try {
          ((Selectable) key.attachment()).close();
        } catch (RuntimeException e) {
          log.warn("closing {} failed: {}", key.attachment(), e.toString());
        }
      }
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
