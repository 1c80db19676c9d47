package dev.selectftp.client.console;

/** The user typed something that is not a valid command; nothing was sent to the server. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
