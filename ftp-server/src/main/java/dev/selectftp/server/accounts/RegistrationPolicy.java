package dev.selectftp.server.accounts;

/**
 * Who may register accounts over the network, and how fast. Administrators add accounts with
 * {@code ftp-server user add} whatever this says.
 *
 * @param open false answers every {@code register} with {@code forbidden}
 * @param perAddressPerHour new accounts one client address (an IPv6 /64) may create within an hour
 * @param perHour new accounts all clients together may create within an hour
 */
public record RegistrationPolicy(boolean open, int perAddressPerHour, int perHour) {
  /**
   * Ten an hour from one address lets a family or an office behind one NAT sign up; two hundred an hour in
   * all is far above what a small server sees from real people, and caps what an attacker with many
   * addresses can claim (each account reserves the default quota) at 4,800 accounts a day.
   */
  public static final RegistrationPolicy DEFAULT = new RegistrationPolicy(true, 10, 200);
  /** For tests that register many users from loopback; never the default. */
  public static final RegistrationPolicy UNLIMITED = new RegistrationPolicy(true, Integer.MAX_VALUE, Integer.MAX_VALUE);

  public RegistrationPolicy {
    if (perAddressPerHour < 1 || perHour < 1) throw new IllegalArgumentException("registration rates must be positive");
  }

  public RegistrationPolicy withOpen(boolean value) {
    return new RegistrationPolicy(value, perAddressPerHour, perHour);
  }
}
