package dev.selectftp.server.admin;

/**
 * A command that cannot be done, with the exit code to leave with and a one-line message for stderr:
 * 1 refused (the user exists, no such user, passwords differ), 2 usage (bad argument, option or config),
 * 3 I/O failure (the data folder cannot be read or written, the port is taken).
 */
public final class Failure extends Exception {
  public static final int REFUSED = 1;
  public static final int USAGE = 2;
  public static final int IO = 3;

  private final int exitCode;

  private Failure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public static Failure refused(String message) {
    return new Failure(REFUSED, message);
  }

  public static Failure usage(String message) {
    return new Failure(USAGE, message);
  }

  public static Failure io(String message) {
    return new Failure(IO, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
