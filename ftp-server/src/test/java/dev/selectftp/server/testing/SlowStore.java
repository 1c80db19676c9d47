package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.hostile.Bystander;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link Storage} over a real one (the local {@code files.FileStore}: real files underneath, not a mock)
 * that answers every call that may block a fixed {@code latency} late, as a store across a network would
 * (an S3 round trip), and notes which thread made each call. A server whose loop thread makes such a call
 * stalls every session for the latency, and the notes name the call.
 *
 * <p>The pure calls ({@link HomeStore#toReal}, {@link HomeStore#partialFor}, {@link HomeStore#partialFits})
 * are noted but not delayed: string work on keys, allowed on the loop.
 */
public final class SlowStore implements Storage {
  /** What each call waits: about an S3 round trip across a region, far above a bystander's answer. */
  public static final Duration LATENCY = Duration.ofMillis(300);
  /** Well under {@link #LATENCY}: a bystander never waits for a store call. */
  public static final Duration BYSTANDER_WORST = LATENCY.multipliedBy(2).dividedBy(3);
  /** The server's event loop thread. */
  public static final String LOOP_THREAD = "ftp-loop";
  /** The methods that may stay on the loop. */
  public static final Set<String> PURE = Set.of("toReal", "partialFor", "partialFits");

  /** One call: the method's name and the thread that made it. */
  public record Call(String method, String thread) {}

  private final Storage store;
  private final Duration latency;
  private final List<Call> calls = new ArrayList<>();
  private final ConcurrentMap<String, SlowHome> homes = new ConcurrentHashMap<>();

  public SlowStore(Storage store, Duration latency) {
    this.store = store;
    this.latency = latency;
  }

  /** Every call so far, in order. */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The names of the methods called so far. */
  public Set<String> methods() {
    Set<String> names = new TreeSet<>();
    for (Call c : calls()) names.add(c.method());
    return names;
  }

  /** The calls but the pure ones that {@code thread} made. */
  public List<Call> blockingCallsOn(String thread) {
    return calls().stream().filter(c -> c.thread().equals(thread) && !PURE.contains(c.method())).toList();
  }

  /**
   * Fails unless every method in {@code driven} was called, none but the pure ones on the loop thread, and
   * the bystander was answered every time well within the latency.
   */
  public void assertNothingWaitedOnTheLoop(String door, List<String> driven, Bystander.Measured seen) {
    System.out.printf("[slow store] %s door, %d ms a call: bystander %s; calls %s%n", door, latency.toMillis(),
        seen, methods());
    assertEquals(List.of(), blockingCallsOn(LOOP_THREAD), "store calls made on the loop thread");
    assertTrue(methods().containsAll(driven), () -> "not every call was driven: " + methods());
    assertTrue(seen.failure() == null, () -> "the bystander was not answered: " + seen);
    assertTrue(seen.worst() < BYSTANDER_WORST.toMillis(), () -> "a bystander waited " + seen.worst()
        + " ms, as long as a store call: " + seen);
  }

  /** Notes a call by the current thread and, unless it is pure, waits the latency first. */
  void call(String method) {
    synchronized (calls) {
      calls.add(new Call(method, Thread.currentThread().getName()));
    }
    if (PURE.contains(method)) return;
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public HomeStore home(String user) throws IOException {
    call("home");
    HomeStore real = store.home(user);
    return homes.computeIfAbsent(user, u -> new SlowHome(real, this));
  }

  @Override
  public Tally tally(String user) throws IOException {
    call("tally");
    return store.tally(user);
  }

  @Override
  public Tally deleteStalePartials(String user, Duration maxAge, Instant now, PartialGuard guard)
      throws IOException {
    call("deleteStalePartials");
    return store.deleteStalePartials(user, maxAge, now, guard);
  }

  @Override
  public boolean lowOnSpace() {
    call("lowOnSpace");
    return store.lowOnSpace();
  }
}
