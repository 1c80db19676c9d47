package dev.selectftp.server.storage;

/**
 * What one user holds on disk, or a change to it: bytes of regular files (partials included) and entries
 * (files, folders and partials; the home itself and anything that is not a file or folder are not counted).
 *
 * @param bytes regular-file bytes; negative in a delta that frees space
 * @param entries files, folders and partials; negative in a delta that removes some
 */
public record Tally(long bytes, long entries) {
  /** Nothing held, or no change. */
  public static final Tally ZERO = new Tally(0, 0);

  /** This change the other way round: what undoing it does. */
  public Tally negated() {
    return new Tally(-bytes, -entries);
  }
}
