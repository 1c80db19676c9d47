package dev.selectftp.client.console;

/** Process exit statuses of the console, so scripts can tell failures apart. */
public final class ExitCode {
  public static final int OK = 0;
  /** The server refused (wrong password, not found, quota exceeded, ...). */
  public static final int REFUSED = 1;
  /** The command line was wrong; nothing was attempted. */
  public static final int USAGE = 2;
  /** The connection or a local file failed. */
  public static final int IO = 3;

  private ExitCode() {}
}
