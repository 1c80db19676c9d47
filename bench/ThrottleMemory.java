import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.RegistrationLimits;
import dev.selectftp.server.accounts.RegistrationPolicy;

/**
 * Heap the login throttle and the registration limits hold when full, worst case: every tracked name 32
 * characters with a full ring of failures, every address a 39-character IPv6 literal, every trusted pair
 * both. Usage: java -cp ftp-server.jar ThrottleMemory.java
 */
public class ThrottleMemory {
  public static void main(String[] a) throws Exception {
    long before = used();
    long[] clock = {0};
    LoginThrottle throttle = new LoginThrottle(() -> clock[0]);
    for (int i = 0; i < LoginThrottle.MAX_TRACKED_USERS; i++) {
      String name = String.format("u%031d", i);
      for (int f = 0; f < LoginThrottle.USER_LOCKOUT_FAILURES - 1; f++) {
        throttle.recordFailure(name, addr(i % LoginThrottle.MAX_TRACKED_ADDRESSES));
        clock[0] += 10;
      }
    }
    for (int i = 0; i < 65_536; i++) throttle.recordSuccess(String.format("t%031d", i), addr(i));
    long throttleBytes = used() - before;
    RegistrationLimits limits = new RegistrationLimits(RegistrationPolicy.DEFAULT, () -> clock[0]);
    long beforeLimits = used();
    for (int i = 0; i < 10_000; i++) limits.tryAcquire(addr(i));
    long limitBytes = used() - beforeLimits;
    System.out.printf("throttle: %d keys, %d trusted pairs: %.1f MiB; registration limits full: %.1f KiB%n",
        throttle.trackedKeys(), throttle.trustedPairs(), throttleBytes / 1048576.0, limitBytes / 1024.0);
  }

  private static String addr(int i) {
    return String.format("2001:db8:%04x:%04x:1111:2222:3333:4444", i >>> 16, i & 0xffff);
  }

  private static long used() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
