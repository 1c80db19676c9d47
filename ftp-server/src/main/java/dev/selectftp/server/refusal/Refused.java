package dev.selectftp.server.refusal;

/**
 * A typed refusal: the rule that said no, and a message safe to show the user (virtual paths only; real
 * paths and causes go to the server log). Each door maps {@link #code()} to its own reply.
 */
public final class Refused extends Exception {
  private final Refusal code;

  public Refused(Refusal code, String message) {
    super(message);
    this.code = code;
  }

  public Refused(Refusal code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Refusal code() {
    return code;
  }
}
