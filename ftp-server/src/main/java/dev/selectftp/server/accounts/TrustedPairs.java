package dev.selectftp.server.accounts;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * (user, address) pairs that logged in successfully within {@link #TTL}: a user who proved their password
 * from an address is not slowed because others fail from it (a shared NAT under attack). Least recently used
 * pairs go first past {@link #MAX_PAIRS}, so memory stays bounded (about 150 bytes a pair, some 10 MB full).
 * Not thread-safe: {@link LoginThrottle} guards it.
 */
final class TrustedPairs {
  /** Cap on remembered pairs. */
  static final int MAX_PAIRS = 65_536;
  /** How long one successful login keeps its pair trusted; each new login renews it. */
  static final Duration TTL = Duration.ofDays(30);

  private final long ttlNanos = TTL.toNanos();
  private final LinkedHashMap<String, Long> expiries;

  TrustedPairs(int maxPairs) {
    this.expiries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > maxPairs;
      }
    };
  }

  void add(String user, String address, long now) {
    expiries.put(key(user, address), now + ttlNanos);
  }

  boolean contains(String user, String address, long now) {
    String key = key(user, address);
    Long until = expiries.get(key);
    if (until == null) return false;
    if (until - now > 0) return true;
    expiries.remove(key);
    return false;
  }

  int size() {
    return expiries.size();
  }

  /** A newline cannot occur in a valid user name, so no two pairs share a key. */
  private static String key(String user, String address) {
    return user + '\n' + address;
  }
}
