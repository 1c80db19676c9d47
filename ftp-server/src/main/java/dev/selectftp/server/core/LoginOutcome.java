package dev.selectftp.server.core;

import java.time.Duration;

/**
 * How a login ends once the door knows whether the password is right ({@link LoginFlow#proven}); each door
 * turns it into its own reply. Handed over on the loop, at most once per attempt.
 */
public sealed interface LoginOutcome {
  /** Logged in: the success is recorded and the user's totals are counted, so quota checks never walk a home. */
  record Accepted(Login login) implements LoginOutcome {}

  /**
   * A wrong name or password (or an account removed before the proof): the failure is recorded and
   * {@code delayed} has already passed, so the door answers at once.
   */
  record Rejected(Duration delayed) implements LoginOutcome {}

  /**
   * The password was right but the user's home could not be opened or counted ({@code failure}: an
   * {@link java.io.IOException}, or a bug of the count); nobody is logged in. Details belong in the server log.
   */
  record Unavailable(Exception failure) implements LoginOutcome {}
}
