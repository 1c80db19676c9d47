package dev.selectftp.server.accounts;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Counts registrations per client address and in all within a sliding {@link #WINDOW}, as the
 * {@link RegistrationPolicy} allows, by {@link ClientAddress#key}. Memory is bounded by the global cap: only addresses that registered within the window are kept, and
 * there are at most {@link RegistrationPolicy#perHour()} of those. Thread-safe; O(1) amortized per call.
 */
public final class RegistrationLimits {
  public static final Duration WINDOW = Duration.ofHours(1);

  private final RegistrationPolicy policy;
  private final LongSupplier nanoClock;
  private final long windowNanos = WINDOW.toNanos();
  private final ArrayDeque<Long> all = new ArrayDeque<>();
  /** Per address, the times of its registrations in the window; ordered by the last one. */
  private final LinkedHashMap<String, ArrayDeque<Long>> byAddress = new LinkedHashMap<>();

  public RegistrationLimits(RegistrationPolicy policy, LongSupplier nanoClock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  public RegistrationPolicy policy() {
    return policy;
  }

  /** Why a registration may not go ahead now. */
  public sealed interface Refusal {
    Duration retryAfter();

    record AddressRate(Duration retryAfter) implements Refusal {}

    record GlobalRate(Duration retryAfter) implements Refusal {}
  }

  /**
   * Counts one registration attempt from {@code address} when both rates allow it; otherwise counts nothing
   * and says which rate stopped it and when a slot frees up.
   */
  public synchronized Optional<Refusal> tryAcquire(String address) {
    long now = nanoClock.getAsLong();
    forgetExpired(now);
    if (all.size() >= policy.perHour()) return Optional.of(new Refusal.GlobalRate(until(all.peekFirst(), now)));
    String key = ClientAddress.key(address);
    ArrayDeque<Long> mine = byAddress.remove(key);
    if (mine == null) mine = new ArrayDeque<>();
    byAddress.put(key, mine); // last-registration order
    while (!mine.isEmpty() && now - mine.peekFirst() >= windowNanos) mine.removeFirst();
    if (mine.size() >= policy.perAddressPerHour()) return Optional.of(new Refusal.AddressRate(until(mine.peekFirst(), now)));
    mine.addLast(now);
    all.addLast(now);
    return Optional.empty();
  }

  /** Addresses with a registration in the window; at most the global cap. */
  public synchronized int trackedAddresses() {
    forgetExpired(nanoClock.getAsLong());
    return byAddress.size();
  }

  private Duration until(long oldest, long now) {
    return Duration.ofNanos(Math.max(0, oldest + windowNanos - now));
  }

  private void forgetExpired(long now) {
    while (!all.isEmpty() && now - all.peekFirst() >= windowNanos) all.removeFirst();
    for (Iterator<ArrayDeque<Long>> it = byAddress.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Long> times = it.next();
      while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) times.removeFirst();
      if (!times.isEmpty()) break;
      it.remove();
    }
  }
}
