package dev.selectftp.server.storage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Every user's home: local disk today ({@code files.FileStore}), an object store later. The core and the
 * doors reach a home's files only through this and {@link HomeStore}.
 *
 * <p><b>Threads.</b> Every method may block (a network round trip on an object store) and runs on helper
 * threads only, never on the event loop: {@link #home} at login and {@link #lowOnSpace} when an I/O failure
 * is classified go to the store pool ({@code core.StoreCalls}), the walks to the background pool.
 */
public interface Storage {
  /**
   * The user's home, created when missing.
   *
   * @throws IllegalArgumentException for a name that is not a valid user name
   * @throws IOException if the home cannot be created
   */
  HomeStore home(String user) throws IOException;

  /** Blocking, a whole-home walk: what the user holds, for the quota count at login. Helper threads only. */
  Tally tally(String user) throws IOException;

  /** Blocking, a whole-home walk: see {@link HomeStore#deleteStalePartials}. Helper threads only. */
  Tally deleteStalePartials(String user, Duration maxAge, Instant now, PartialGuard guard) throws IOException;

  /**
   * True when the store is (nearly) out of space, so that a failed write is reported as a full disk. Asks
   * the store rather than parsing exception text, which differs by platform and locale. Helper threads only:
   * asked where the failure is classified ({@code core.StoreCalls}), which hands the doors an
   * {@link OutOfSpace}.
   */
  boolean lowOnSpace();
}
