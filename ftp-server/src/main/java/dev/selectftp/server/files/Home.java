package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;

import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.Tally;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One user's sandbox: a real folder {@code <data>/home/<user>} that the user sees as {@code /}.
 *
 * <p><b>Confinement by descriptor.</b> Every operation walks from the home's root down, one name at a time,
 * holding each folder open and opening the next relative to it without following links ({@code openat}
 * with {@code O_NOFOLLOW} through {@link java.nio.file.SecureDirectoryStream}); the final stat, open,
 * rename, delete or mkdir then acts relative to the last folder's descriptor (see {@link Confinement}). A
 * local process that swaps a folder for a symlink between two steps gets its link refused by the kernel,
 * never followed, so no request reads or writes outside the home whatever the timing. The {@link Path}s in
 * this API are names for lock keys and messages: they are mapped back to names under the root and walked
 * again by descriptor, never opened by path. Creating a folder goes through a staging folder, see
 * {@link Staging}.
 *
 * <p><b>Symlinks.</b> Every symlink inside a home is refused with {@link Refusal#FORBIDDEN}, whatever it
 * points to, inside-pointing and dangling ones included, and so are special files (FIFOs, devices,
 * sockets). Users cannot create symlinks through the protocol, so any link is the admin's or an attacker's
 * doing. Listings and quota scans skip them.
 *
 * <p>Called from the event-loop thread: every method except {@link #tally}, {@link #deleteStalePartials}
 * (whole-tree walks) and {@link #list} (reads a whole folder; helper threads only) does a bounded amount of work, a few system
 * calls per folder on the path. All failures are {@link Refused}s whose messages name virtual
 * paths only; real paths go to the server log. Thread-safe: each call opens its own descriptors.
 */
public final class Home implements HomeStore {
  private final Path root;
  private final Confinement confinement;
  private final Channels channels;
  private final Staging staging;
  private final Changes changes;

  /**
   * @param root an existing folder {@code <homes>/<user>}; it is resolved with {@link Path#toRealPath} once,
   *     here, and {@code <homes>/.staging} is created beside it for {@link #makeDir}
   * @throws IOException if it does not exist or is not a folder, or on a platform without
   *     {@link java.nio.file.SecureDirectoryStream}
   */
  public Home(Path root) throws IOException {
    this.root = root.toRealPath();
    if (!Files.isDirectory(this.root)) throw new NotDirectoryException(this.root.toString());
    this.confinement = new Confinement(this.root);
    this.channels = new Channels(confinement);
    this.staging = new Staging(this.root.getParent());
    this.changes = new Changes(confinement, staging);
  }

  /**
   * Fails at start-up, not at the first login, when this platform cannot confine homes by descriptor.
   *
   * @param existingDir any existing folder on the data file system
   * @throws IOException without {@link java.nio.file.SecureDirectoryStream}, with a message saying so
   */
  public static void requireSecureDirectories(Path existingDir) throws IOException {
    Confinement.requireSecureDirectories(existingDir);
  }

  /** Test seam: {@code action} runs after each walk holds its folder, before the operation on it. */
  void afterWalk(Runnable action) {
    confinement.afterWalk(action);
  }

  /** The real, symlink-free root folder of this home. */
  public Path root() {
    return root;
  }

  /**
   * Maps a virtual path to the real path inside the home, checking every existing name from the root down
   * by descriptor without following links. The result is a name (for lock keys and {@link #partialFor}):
   * every later operation on it walks again by descriptor.
   *
   * @throws Refused BAD_PATH for a malformed path, FORBIDDEN if any existing name is a symlink or
   *     the last one is a special file (FIFO, device, socket), NOT_A_DIRECTORY if a name before the last is
   *     a file
   */
  public Path toReal(String virtualPath) throws Refused {
    return stat(virtualPath).real();
  }

  /** Reads what is at a virtual path (checked as by {@link #toReal}); a missing file is not an error. */
  public FileInfo stat(String virtualPath) throws Refused {
    return confinement.stat(confinement.namesOf(virtualPath));
  }

  /** Like {@link #stat} for a real path inside the home, for example a partial from {@link #partialFor}. */
  public FileInfo statReal(Path real) throws Refused {
    return confinement.stat(confinement.namesOf(real));
  }

  /**
   * Opens a folder by descriptor for listing it; the caller closes it (see {@link Folder}).
   *
   * @param virtualPath an absolute virtual path (it is normalized again here)
   * @throws Refused NOT_FOUND, NOT_A_DIRECTORY, FORBIDDEN (a link on the way or the folder itself
   *     a link or special file), BAD_PATH
   */
  public Folder openFolder(String virtualPath) throws Refused {
    List<String> names = confinement.namesOf(virtualPath);
    return new Folder(confinement.openFolder(names), root.getFileSystem(),
        Confinement.virtualOf(names, names.size()));
  }

  /**
   * One page of a folder's listing, by name in code point order; partials, symlinks, special files and
   * names a user could not type are left out. Reads every name in the folder (and stats one page of them),
   * so it blocks: call it off the event loop.
   *
   * @param after null for the first page, else the {@link Listing#next} of the previous one
   * @throws Refused BAD_REQUEST for a cursor this server never gives, NOT_FOUND, NOT_A_DIRECTORY,
   *     or as {@link #toReal}
   */
  @Override
  public Listing list(String cwd, String path, String after, PageSize size) throws Refused {
    if (after != null && !VirtualPath.isAcceptableName(after)) {
      throw new Refused(Refusal.BAD_REQUEST, "\"after\" must be the \"next\" of a previous listing page");
    }
    String v = VirtualPath.resolve(cwd, path);
    try (Folder dir = openFolder(v)) {
      return Listings.page(dir, v, after, size);
    } catch (IOException e) {
      throw IoErrors.map(e, "list", v);
    }
  }

  /**
   * Returns the new current folder. {@code ..} at {@code /} stays at {@code /}, as in a chroot.
   *
   * @throws Refused NOT_FOUND, NOT_A_DIRECTORY, or as {@link #toReal}
   */
  public String changeDir(String cwd, String path) throws Refused {
    String v = VirtualPath.resolveClamped(cwd, path);
    if (!requireExisting(v).dir()) throw new Refused(Refusal.NOT_A_DIRECTORY, v + " is not a folder");
    return v;
  }

  /**
   * Creates one folder; its parent must exist. Made in the staging folder and moved into the parent's
   * descriptor ({@link Staging}), since there is no mkdirat.
   *
   * @throws Refused EXISTS if the name is taken, NOT_FOUND if the parent is missing, or as
   *     {@link #toReal}
   */
  public void makeDir(String cwd, String path) throws Refused {
    String v = VirtualPath.resolve(cwd, path);
    if (v.equals(VirtualPath.ROOT)) throw new Refused(Refusal.EXISTS, "/ already exists");
    changes.makeDir(v);
  }

  /**
   * Deletes one file or one empty folder, and nothing else: a file's partial upload stays, and a folder
   * holding only hidden partials counts as not empty (they may belong to a live upload).
   *
   * @return the bytes freed on disk, for {@code Quotas.apply}
   * @throws Refused BAD_PATH for {@code /}, NOT_FOUND, NOT_EMPTY, or as {@link #toReal}
   */
  public long delete(String cwd, String path) throws Refused {
    String v = VirtualPath.resolve(cwd, path);
    if (v.equals(VirtualPath.ROOT)) throw new Refused(Refusal.BAD_PATH, "your home folder / cannot be deleted");
    return changes.delete(v);
  }

  /**
   * Renames or moves a file or folder within the home, atomically ({@code renameat} between the two parent
   * folders' descriptors). The target must not exist. Runs on the single event-loop thread, so no other
   * command can create the target between the check and the move.
   *
   * @throws Refused BAD_PATH for {@code /} or a folder moved into itself, NOT_FOUND, EXISTS, or as
   *     {@link #toReal}
   */
  public void rename(String cwd, String from, String to) throws Refused {
    String vFrom = VirtualPath.resolve(cwd, from);
    String vTo = VirtualPath.resolve(cwd, to);
    if (vFrom.equals(VirtualPath.ROOT) || vTo.equals(VirtualPath.ROOT)) {
      throw new Refused(Refusal.BAD_PATH, "your home folder / cannot be renamed or replaced");
    }
    if (vTo.startsWith(vFrom + "/")) {
      throw new Refused(Refusal.BAD_PATH, "cannot move " + vFrom + " into itself");
    }
    changes.rename(vFrom, vTo);
  }

  /**
   * Opens a regular file for reading by descriptor, without following a link anywhere on the way.
   *
   * @throws Refused NOT_FOUND, IS_A_DIRECTORY, FORBIDDEN (symlink, special file)
   */
  public FileChannel openRead(Path real) throws Refused {
    return channels.openRead(real);
  }

  /**
   * Opens a file for writing by descriptor, creating it if missing, without following a link anywhere on
   * the way. Writes are positional: nothing here appends.
   *
   * @param truncate empty the file
   * @throws Refused NOT_FOUND (parent missing), IS_A_DIRECTORY, FORBIDDEN
   */
  public FileChannel openWrite(Path real, boolean truncate) throws Refused {
    return channels.openWrite(real, truncate);
  }

  @Override
  public boolean partialFits(Path partial) {
    return Partials.pathFits(partial);
  }

  /** The hidden partial next to {@code real}: {@code .NAME.selectftp-part} in the same folder. */
  public Path partialFor(Path real) {
    return real.resolveSibling(Partials.partialName(real.getFileName().toString()));
  }

  /** True when the file name carries the partial suffix. */
  public static boolean isPartial(Path path) {
    return Partials.isPartial(path);
  }

  /**
   * Atomically renames a finished partial over the real name (replacing any file there) within their
   * folder's descriptor and syncs that folder so the rename survives a crash. The caller has already forced
   * the partial's bytes to disk.
   *
   * @throws Refused IS_A_DIRECTORY if a folder has the final name, FORBIDDEN for a link, NOT_FOUND
   */
  public void publishPartial(Path partial, Path real) throws Refused {
    channels.publish(partial, real);
  }

  /**
   * Deletes a partial if present, by descriptor.
   *
   * @return the bytes freed
   */
  public long deletePartial(Path partial) throws Refused {
    if (!isPartial(partial)) throw new IllegalArgumentException("not a partial: " + partial.getFileName());
    return changes.deletePartial(partial);
  }

  /**
   * Bytes of all regular files in the home (partials included) and its entries, without following links.
   * Walks the whole tree: once per account on a helper thread (see {@code Quotas}), never per command.
   */
  public Tally tally() throws IOException {
    return TreeScans.tally(root);
  }

  /**
   * Deletes partials last modified more than {@code maxAge} before {@code now}, by descriptor (see
   * {@link StalePartials}), except those {@code guard} says are in use, and folders a crash left in the
   * staging folder. Walks the whole tree: a maintenance task for a helper thread, never for the loop.
   *
   * @return what was freed, for {@code Quotas.apply}
   */
  public Tally deleteStalePartials(Duration maxAge, Instant now, PartialGuard guard) throws IOException {
    staging.sweep(now.minus(maxAge));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      if (!(ds instanceof SecureDirectoryStream<Path> sds)) throw new IOException("no SecureDirectoryStream here");
      return StalePartials.delete(sds, root, now.minus(maxAge), guard);
    }
  }

  private FileInfo requireExisting(String normalized) throws Refused {
    FileInfo info = stat(normalized);
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, normalized + ": no such file or folder");
    return info;
  }
}
