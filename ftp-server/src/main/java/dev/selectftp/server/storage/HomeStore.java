package dev.selectftp.server.storage;

import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One user's home as the core sees it: a tree of folders and files named by virtual paths ({@code /} is the
 * home), confined so that no request reaches outside it. Local disk today ({@code files.Home}); an object
 * store later. Every refusal is a {@link Refused} whose message names virtual paths only.
 *
 * <p><b>Keys.</b> {@link FileInfo#real()} and the {@link Path}s below are opaque keys inside this home (lock
 * keys for uploads, cache keys for hashes, the partial of a target); callers never open them themselves,
 * they hand them back here. A store that is not a file system maps its object keys to such paths.
 *
 * <p><b>Threads.</b> Every method may block (on an object store each is a network round trip) and runs on
 * helper threads only, never on the event loop: the core hands them to its store pool ({@code core.StoreCalls})
 * and takes the result back on the loop; {@link #list}, {@link #tally}, {@link #deleteStalePartials} and
 * {@link #publishPartial} go to the listing and background pools. The exceptions are the pure ones,
 * {@link #toReal}, {@link #partialFor} and {@link #partialFits} (string work on keys; the local store's
 * {@code toReal} makes one bounded stat), which the loop calls to take upload locks. The per-slice reads and
 * writes on the channels handed out stay on the loop: bounded I/O on a local file (a spool file on S3).
 *
 * <p><b>Channels.</b> Files are opened as {@link FileChannel}s (positional reads for resume, and
 * {@code transferTo} for zero-copy sends). A remote store hands out channels over node-local spool files: a
 * read channel over ranged reads that is also a {@link ReadAhead} (the loop asks how much has arrived and
 * never reads further), a write channel that is also a {@link Backlog}.
 */
public interface HomeStore {
  /** Pure, may run on the loop: the key of what a virtual path names, checked as {@link #stat} checks it. */
  Path toReal(String virtualPath) throws Refused;

  /**
   * Reads what is at a virtual path; a missing file is not an error.
   *
   * @throws Refused BAD_PATH for a malformed path, FORBIDDEN for a link or special file, NOT_A_DIRECTORY
   *     when a name before the last is a file
   */
  FileInfo stat(String virtualPath) throws Refused;

  /** Like {@link #stat} for a key of this home, for example a partial from {@link #partialFor}. */
  FileInfo statReal(Path real) throws Refused;

  /**
   * Blocking: one page of a folder's listing, by name in code point order; partials, links and special
   * files are left out.
   *
   * @param after null for the first page, else the {@link Listing#next} of the previous one
   * @param size how big a page the door can take
   * @throws Refused BAD_REQUEST for a cursor never given, NOT_FOUND, NOT_A_DIRECTORY, or as {@link #stat}
   */
  Listing list(String cwd, String path, String after, PageSize size) throws Refused;

  /**
   * The new current folder; {@code ..} at {@code /} stays at {@code /}, as in a chroot.
   *
   * @throws Refused NOT_FOUND, NOT_A_DIRECTORY, or as {@link #stat}
   */
  String changeDir(String cwd, String path) throws Refused;

  /**
   * Creates one folder; its parent must exist.
   *
   * @throws Refused EXISTS, NOT_FOUND (no parent), or as {@link #stat}
   */
  void makeDir(String cwd, String path) throws Refused;

  /**
   * Deletes one file or one empty folder (a folder holding only partials is not empty).
   *
   * @return the bytes freed
   * @throws Refused BAD_PATH for {@code /}, NOT_FOUND, NOT_EMPTY, or as {@link #stat}
   */
  long delete(String cwd, String path) throws Refused;

  /**
   * Renames or moves a file or folder within the home, atomically; the target must not exist.
   *
   * @throws Refused BAD_PATH for {@code /} or a folder into itself, NOT_FOUND, EXISTS, or as {@link #stat}
   */
  void rename(String cwd, String from, String to) throws Refused;

  /**
   * Opens a regular file for positional reads.
   *
   * @throws Refused NOT_FOUND, IS_A_DIRECTORY, FORBIDDEN
   */
  FileChannel openRead(Path real) throws Refused;

  /**
   * Opens a file for positional writes, creating it if missing (a partial, to append at its end).
   *
   * @param truncate empty the file
   * @throws Refused NOT_FOUND (parent missing), IS_A_DIRECTORY, FORBIDDEN
   */
  FileChannel openWrite(Path real, boolean truncate) throws Refused;

  /** Pure, may run on the loop: the hidden partial of a target, where an upload writes until it is published. */
  Path partialFor(Path real);

  /** Pure, may run on the loop: true when the partial of a target can be named at all (its key is not too long). */
  boolean partialFits(Path partial);

  /**
   * Blocking: a SHA-256 digest positioned after the partial's first {@code bytes}, continuing from a state
   * the store saved, for a store that cannot read a partial back (an unfinished multipart upload on S3);
   * empty when it has none, and the caller hashes those bytes through {@link #openRead} instead (the local
   * store always).
   */
  default Optional<MessageDigest> heldDigest(Path partial, long bytes) {
    return Optional.empty();
  }

  /**
   * Blocking (a sync): publishes a finished partial under the real name atomically, replacing any file
   * there; the caller has forced the partial's bytes first.
   *
   * @throws Refused IS_A_DIRECTORY if a folder has the final name, FORBIDDEN, NOT_FOUND
   */
  void publishPartial(Path partial, Path real) throws Refused;

  /**
   * Deletes a partial if present.
   *
   * @return the bytes freed
   */
  long deletePartial(Path partial) throws Refused;

  /** Blocking, a whole-home walk: bytes and entries held, partials included. */
  Tally tally() throws IOException;

  /**
   * Blocking, a whole-home walk: deletes partials untouched for {@code maxAge} except those {@code guard}
   * holds, and returns what was freed.
   */
  Tally deleteStalePartials(Duration maxAge, Instant now, PartialGuard guard) throws IOException;
}
