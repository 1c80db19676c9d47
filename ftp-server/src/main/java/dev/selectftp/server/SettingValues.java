package dev.selectftp.server;

import dev.selectftp.common.Sizes;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.accounts.postgres.PostgresUrl;
import dev.selectftp.server.net.ProxySources;
import dev.selectftp.server.protocol.ftp.PassivePorts;
import dev.selectftp.server.storage.s3.S3Location;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting's text turned into its value, for {@link Settings}: the same checks whichever layer (config
 * file or flag) the text came from, and a {@link BadValue} naming {@code where} it came from when it does not
 * parse or is out of range.
 */
final class SettingValues {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|sec|m|min|h|d)?", Pattern.CASE_INSENSITIVE);

  private SettingValues() {}

  static PassivePorts passivePorts(String value, String where) throws BadValue {
    try {
      return PassivePorts.parse(value);
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": " + e.getMessage());
    }
  }

  /** The trusted proxies of {@code --proxy-protocol-from}: address literals, each with an optional /BITS. */
  static ProxySources proxySources(String value, String where) throws BadValue {
    try {
      return ProxySources.parse(value);
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": " + e.getMessage());
    }
  }

  /** The public address as an IPv4 address (a host name is looked up), or null when not set. */
  static InetAddress publicAddress(String ftpPublicAddress) throws BadValue {
    if (ftpPublicAddress == null) return null;
    InetAddress address;
    try {
      address = InetAddress.getByName(ftpPublicAddress);
    } catch (UnknownHostException e) {
      throw new BadValue("ftp-public-address: unknown address \"" + ftpPublicAddress + "\"");
    }
    if (!(address instanceof Inet4Address) || address.isAnyLocalAddress()) {
      throw new BadValue("ftp-public-address: \"" + ftpPublicAddress
          + "\" is not one IPv4 address (PASV can advertise nothing else)");
    }
    return address;
  }

  /** Where the accounts live: a postgresql:// URL (the password may come from PGPASSWORD instead). */
  static PostgresUrl accounts(String value, String where) throws BadValue {
    try {
      return PostgresUrl.parse(value, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": " + e.getMessage());
    }
  }

  /** Where the homes live: an s3://BUCKET/PREFIX URL, checked here and kept as written. */
  static String storage(String value, String where) throws BadValue {
    try {
      return S3Location.parse(value, null).toString();
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": " + e.getMessage());
    }
  }

  /** The S3-compatible store's URL (MinIO, Ceph RGW): http:// or https://. */
  static URI s3Endpoint(String value, String where) throws BadValue {
    try {
      return S3Location.endpoint(value);
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": " + e.getMessage());
    }
  }

  static boolean openOrClosed(String value, String where) throws BadValue {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "open" -> true;
      case "closed" -> false;
      default -> throw new BadValue(where + ": \"" + value + "\" is neither open nor closed");
    };
  }

  static TlsOffer tlsOffer(String value, String where) throws BadValue {
    try {
      return TlsOffer.fromWire(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": \"" + value + "\" is none of off, optional, required");
    }
  }

  /** A quota or size from the command line, e.g. {@code 4GiB}, with {@code where} in the error. */
  static long size(String value, String where) throws BadValue {
    try {
      return Sizes.parse(value);
    } catch (IllegalArgumentException e) {
      throw new BadValue(where + ": " + e.getMessage());
    }
  }

  static int integer(String value, String where, int min, int max) throws BadValue {
    long n;
    try {
      n = Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new BadValue(where + ": \"" + value + "\" is not a whole number");
    }
    if (n < min || n > max) {
      throw new BadValue(where + ": " + value + " is out of range (" + min + " to " + max + ")");
    }
    return (int) n;
  }

  static Path path(String value, String where, Path base) throws BadValue {
    try {
      Path p = Path.of(value);
      return base == null || p.isAbsolute() ? p : base.resolve(p).normalize();
    } catch (InvalidPathException e) {
      throw new BadValue(where + ": not a valid path: \"" + value + "\"");
    }
  }

  /** Seconds, or a number with {@code s}, {@code m}/{@code min}, {@code h} or {@code d}; must be positive. */
  static Duration duration(String value, String where) throws BadValue {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new BadValue(where + ": \"" + value + "\" is not a duration (seconds, or e.g. 90s, 10m, 1h, 7d)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    Duration d = switch (unit) {
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) throw new BadValue(where + ": must be more than zero");
    return d;
  }

  /** A value that does not parse or is out of range; {@link Settings} reports it as {@link Settings.Invalid}. */
  static final class BadValue extends Exception {
    BadValue(String message) {
      super(message, null, false, false);
    }
  }
}
