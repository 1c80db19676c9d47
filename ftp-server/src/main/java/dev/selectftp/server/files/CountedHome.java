package dev.selectftp.server.files;

import dev.selectftp.common.ProtocolException;

/**
 * The commands that add or remove entries outside uploads, each with its change to the user's
 * {@link Quotas} totals, so that the totals follow the disk by deltas and never need a walk. Loop-thread
 * confined, like {@link Quotas}.
 */
public final class CountedHome {
  private final Home home;
  private final Quotas quotas;
  private final String user;

  public CountedHome(Home home, Quotas quotas, String user) {
    this.home = home;
    this.quotas = quotas;
    this.user = user;
  }

  /**
   * Creates one folder, counted as an entry before it exists (see {@link Home#makeDir}).
   *
   * @throws ProtocolException QUOTA_EXCEEDED when the user holds the most entries allowed, or as
   *     {@link Home#makeDir}
   */
  public void makeDir(String cwd, String path) throws ProtocolException {
    quotas.claimEntry(user);
    try {
      home.makeDir(cwd, path);
    } catch (ProtocolException | RuntimeException e) {
      quotas.apply(user, new Tally(0, -1)); // nothing was created
      throw e;
    }
  }

  /** Deletes one file or empty folder (see {@link Home#delete}) and takes it off the totals. */
  public void delete(String cwd, String path) throws ProtocolException {
    long freed = home.delete(cwd, path);
    quotas.apply(user, new Tally(-freed, -1));
  }

  /** Renames within the home (see {@link Home#rename}); the totals do not change. */
  public void rename(String cwd, String from, String to) throws ProtocolException {
    home.rename(cwd, from, to);
  }
}
