package dev.selectftp.server.protocol.ftp;

/**
 * The ports passive data connections (PASV, EPSV) may listen on: {@code first} to {@code last} inclusive,
 * or {@link #ANY} (any free port the kernel picks). A firewall or NAT in front of the server forwards this
 * range; it is above 1023 so no root is needed.
 */
public record PassivePorts(int first, int last) {
  /** Any free port: what the server uses unless {@code --ftp-passive-ports} is given. */
  public static final PassivePorts ANY = new PassivePorts(0, 0);
  /** The lowest port a range may start at: below are the privileged ports. */
  public static final int MIN_PORT = 1024;
  public static final int MAX_PORT = 65_535;

  public PassivePorts {
    if (!(first == 0 && last == 0) && (first < MIN_PORT || last > MAX_PORT || first > last)) {
      throw new IllegalArgumentException("passive ports must be A-B with " + MIN_PORT + " <= A <= B <= " + MAX_PORT
          + ", not " + first + "-" + last);
    }
  }

  /**
   * A range as typed, {@code A-B}.
   *
   * @throws IllegalArgumentException with a one-line reason when it does not parse or is out of range
   */
  public static PassivePorts parse(String text) {
    String[] parts = text.strip().split("-", -1);
    if (parts.length != 2) throw new IllegalArgumentException("\"" + text + "\" is not a port range A-B");
    try {
      return new PassivePorts(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a port range A-B");
    }
  }

  /** True for {@link #ANY}. */
  public boolean any() {
    return first == 0;
  }

  /** How many ports the range holds; 0 for {@link #ANY}. */
  public int size() {
    return any() ? 0 : last - first + 1;
  }

  @Override
  public String toString() {
    return any() ? "any" : first + "-" + last;
  }
}
