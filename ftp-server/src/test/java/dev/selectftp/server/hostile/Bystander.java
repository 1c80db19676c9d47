package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A logged-in user who keeps asking something small (SelectFTP's {@code pwd}, FTP's {@code PWD}) while an
 * attack or a heavy client runs, timing each round trip on its own thread; and the bounds a fair server
 * keeps meanwhile. Any call that blocks the event loop (a sleep, a whole-folder listing, a write loop that
 * waits for a slow reader) holds every bystander's answer for as long, so it fails {@link #assertFair}.
 *
 * <p>The bounds are generous for a shared 2-core CI machine, where the loop thread may wait tens of
 * milliseconds for a core; the tight targets are measured by {@code bench/hostile.sh}, not asserted here.
 */
public final class Bystander implements AutoCloseable {
  /** A bystander's slowest round trip. */
  public static final Duration WORST_ROUND_TRIP = Duration.ofMillis(1_000);
  /** The loop's longest pass, from the {@code stats} request. */
  public static final Duration LONGEST_PASS = Duration.ofMillis(250);
  /** How long a round trip may take before the bystander gives up and the measurement fails. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  /** Between round trips: a user typing commands, not a second attacker. */
  private static final long PAUSE_MILLIS = 10;
  /** Fewer round trips than this during an attack means the bystander was barely served at all. */
  private static final int MIN_ROUNDS = 5;

  /** One request and its answer, on a connection of the bystander's own. */
  public interface RoundTrip {
    void once() throws Exception;
  }

  /** What the bystander saw: round trips in milliseconds, and the failure that stopped it, if any. */
  public record Measured(List<Double> millis, Exception failure) {
    public double worst() {
      return millis.isEmpty() ? Double.NaN : Collections.max(millis);
    }

    public double median() {
      if (millis.isEmpty()) return Double.NaN;
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      return sorted.get(sorted.size() / 2);
    }

    @Override
    public String toString() {
      return String.format("%d round trips, median %.1f ms, worst %.1f ms%s", millis.size(), median(), worst(),
          failure == null ? "" : ", then " + failure);
    }
  }

  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
  private final AutoCloseable connection;
  private final Thread thread;
  private volatile Exception failure;

  private Bystander(RoundTrip trip, AutoCloseable connection) {
    this.connection = connection;
    this.thread = new Thread(() -> {
      while (!stop.get()) {
        long t = System.nanoTime();
        try {
          trip.once();
        } catch (Exception e) {
          failure = e; // after close() too, but the measurement was taken by then
          return;
        }
        millis.add((System.nanoTime() - t) / 1e6);
        try {
          Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bystander");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts timing {@code trip} over and over; {@code connection} is closed by {@link #close}. */
  public static Bystander start(RoundTrip trip, AutoCloseable connection) {
    return new Bystander(trip, connection);
  }

  /** Logs the demo user in over SelectFTP from its own address and times {@code pwd}. */
  static Bystander pwd(int port) throws IOException {
    RawClient c = RawClient.connect(port, "127.0.0.9").login("xiaoyu", "123456");
    c.socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
    return start(() -> {
      c.send(new Request.PrintDir());
      c.expect(Response.Cwd.class);
    }, c);
  }

  /**
   * Runs each of {@code others} on a thread of its own, all at once, while the bystander measures; returns
   * when all are done and fails if one of them failed or had not finished within {@code within}.
   */
  public static void together(List<RoundTrip> others, Duration within) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (RoundTrip other : others) {
      Thread t = new Thread(() -> {
        try {
          other.once();
        } catch (Exception | AssertionError e) {
          failures.add(e);
        }
      }, "other-client");
      t.start();
      threads.add(t);
    }
    long deadline = System.nanoTime() + within.toNanos();
    for (Thread t : threads) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    assertTrue(failures.isEmpty(), () -> "another client failed: " + failures);
    assertTrue(threads.stream().noneMatch(Thread::isAlive), "the other clients finished within " + within);
  }

  /** Stops the round trips (the one in flight finishes first) and returns what was seen. */
  public Measured stop() throws InterruptedException {
    stop.set(true);
    thread.join(ANSWER_WITHIN.toMillis() + 1_000);
    Exception seen = failure;
    if (thread.isAlive() && seen == null) {
      seen = new java.util.concurrent.TimeoutException("a round trip still unanswered when the watch ended");
    }
    synchronized (millis) {
      return new Measured(List.copyOf(millis), seen);
    }
  }

  /** The loop's figures since the previous call (the stats request resets them). */
  public static Response.ServerStats loopStats(int port) throws IOException {
    return Attackers.stats(port);
  }

  /**
   * Fails unless the bystander was answered every time, often enough, and within {@link #WORST_ROUND_TRIP};
   * then unless the loop's longest pass (from {@code port}'s stats) stayed under {@link #LONGEST_PASS}. The
   * bystander is checked first: a loop that never comes back would not answer the stats request either.
   */
  public static void assertFair(String attack, Measured seen, int port) throws IOException {
    System.out.printf("[bystander] %s: %s%n", attack, seen);
    assertTrue(seen.failure() == null, () -> "the bystander was not answered during " + attack + ": " + seen);
    assertTrue(seen.millis().size() >= MIN_ROUNDS, () -> "the bystander was barely served during " + attack
        + ": " + seen);
    assertTrue(seen.worst() < WORST_ROUND_TRIP.toMillis(), () -> "a bystander's round trip during " + attack
        + " took " + seen.worst() + " ms: " + seen);
    Response.ServerStats stats = loopStats(port);
    System.out.printf("[bystander] %s: longest loop pass %.1f ms over %d passes%n", attack,
        stats.maxPassMicros() / 1e3, stats.loopPasses());
    assertTrue(stats.maxPassMicros() < LONGEST_PASS.toNanos() / 1_000, () -> "a loop pass during " + attack
        + " took " + stats.maxPassMicros() / 1e3 + " ms");
  }

  @Override
  public void close() throws Exception {
    stop.set(true);
    connection.close();
    thread.join(1_000);
  }
}
