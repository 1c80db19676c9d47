package dev.selectftp.server.files;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One user's sandbox: a real folder {@code <data>/home/<user>} that the user sees as {@code /}.
 *
 * <p><b>Symlinks.</b> Every symlink inside a home is refused with {@link ErrorCode#FORBIDDEN}, whatever it
 * points to, inside-pointing and dangling ones included. Users cannot create symlinks through the protocol,
 * so any link is the admin's or an attacker's doing; refusing them all, and opening files with
 * {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}, closes every check-then-use race on the final name. Listings and quota
 * scans skip them. The remaining race, a parent folder swapped for a link between check and use, needs
 * shell access on the server; {@link #openRead} and {@link #openWrite} still re-check the real path after
 * opening and refuse if it left the home.
 *
 * <p>Called from the event-loop thread: every method except {@link #usedBytes} and
 * {@link #deleteStalePartials} (whole-tree walks, see there) does a bounded amount of work. All failures are
 * {@link ProtocolException}s whose messages name virtual paths only; real paths go to the server log.
 */
public final class Home {
  /** Most entries one listing returns. */
  public static final int MAX_LIST_ENTRIES = Listings.MAX_ENTRIES;

  private final Path root;
  private final Confinement confinement;
  private final Channels channels;

  /**
   * @param root an existing folder; it is resolved with {@link Path#toRealPath} once, here
   * @throws IOException if it does not exist or is not a folder
   */
  public Home(Path root) throws IOException {
    this.root = root.toRealPath();
    if (!Files.isDirectory(this.root)) throw new NotDirectoryException(this.root.toString());
    this.confinement = new Confinement(this.root);
    this.channels = new Channels(confinement);
  }

  /** The real, symlink-free root folder of this home. */
  public Path root() {
    return root;
  }

  /**
   * Maps a virtual path to the real path inside the home, checking every existing component from the root
   * down without following links.
   *
   * @throws ProtocolException BAD_PATH for a malformed path, FORBIDDEN if any existing component is a
   *     symlink or the last one is a special file (FIFO, device, socket), NOT_A_DIRECTORY if a component
   *     before the last is a file
   */
  public Path toReal(String virtualPath) throws ProtocolException {
    return confinement.toReal(virtualPath);
  }

  /** Reads what is at a virtual path (checked as by {@link #toReal}); a missing file is not an error. */
  public FileInfo stat(String virtualPath) throws ProtocolException {
    return statReal(toReal(virtualPath));
  }

  /** Like {@link #stat} for a real path inside the home, for example a partial from {@link #partialFor}. */
  public FileInfo statReal(Path real) throws ProtocolException {
    return confinement.statReal(real);
  }

  /** The first page of a folder's listing, as {@link #list(String, String, String)}. */
  public Listing list(String cwd, String path) throws ProtocolException {
    return list(cwd, path, null);
  }

  /**
   * One page of a folder's listing, by name in code point order; partials, symlinks, special files and
   * names a user could not type are left out. Reads every name in the folder (and stats one page of them),
   * so it blocks: call it off the event loop.
   *
   * @param after null for the first page, else the {@link Listing#next} of the previous one
   * @throws ProtocolException BAD_REQUEST for a cursor this server never gives, NOT_FOUND, NOT_A_DIRECTORY,
   *     or as {@link #toReal}
   */
  public Listing list(String cwd, String path, String after) throws ProtocolException {
    if (after != null && !VirtualPath.isAcceptableName(after)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"after\" must be the \"next\" of a previous listing page");
    }
    String v = VirtualPath.resolve(cwd, path);
    FileInfo dir = requireExisting(v);
    if (!dir.dir()) throw new ProtocolException(ErrorCode.NOT_A_DIRECTORY, v + " is not a folder");
    try {
      return Listings.page(dir.real(), v, after);
    } catch (IOException e) {
      throw IoErrors.map(e, "list", v);
    }
  }

  /**
   * Returns the new current folder. {@code ..} at {@code /} stays at {@code /}, as in a chroot.
   *
   * @throws ProtocolException NOT_FOUND, NOT_A_DIRECTORY, or as {@link #toReal}
   */
  public String changeDir(String cwd, String path) throws ProtocolException {
    String v = VirtualPath.resolveClamped(cwd, path);
    if (!requireExisting(v).dir()) throw new ProtocolException(ErrorCode.NOT_A_DIRECTORY, v + " is not a folder");
    return v;
  }

  /**
   * Creates one folder; its parent must exist.
   *
   * @throws ProtocolException EXISTS if the name is taken, NOT_FOUND if the parent is missing, or as
   *     {@link #toReal}
   */
  public void makeDir(String cwd, String path) throws ProtocolException {
    String v = VirtualPath.resolve(cwd, path);
    if (v.equals(VirtualPath.ROOT)) throw new ProtocolException(ErrorCode.EXISTS, "/ already exists");
    Path real = toReal(v);
    confinement.requireRealParentInside(real, v);
    try {
      Files.createDirectory(real);
    } catch (NoSuchFileException e) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "the folder that would contain " + v + " does not exist");
    } catch (IOException e) {
      throw IoErrors.map(e, "create", v);
    }
  }

  /**
   * Deletes one file or one empty folder, and nothing else: a file's partial upload stays, and a folder
   * holding only hidden partials counts as not empty (they may belong to a live upload).
   *
   * @return the bytes freed on disk, for {@link Quotas#adjustStored}
   * @throws ProtocolException BAD_PATH for {@code /}, NOT_FOUND, NOT_EMPTY, or as {@link #toReal}
   */
  public long delete(String cwd, String path) throws ProtocolException {
    String v = VirtualPath.resolve(cwd, path);
    if (v.equals(VirtualPath.ROOT)) throw new ProtocolException(ErrorCode.BAD_PATH, "your home folder / cannot be deleted");
    FileInfo target = requireExisting(v);
    try {
      Files.delete(target.real());
      return target.size();
    } catch (DirectoryNotEmptyException e) {
      String hint = Listings.holdsOnlyPartials(target.real())
          ? " (it holds unfinished uploads, which are removed after they expire)" : "";
      throw new ProtocolException(ErrorCode.NOT_EMPTY, v + " is not empty" + hint, e);
    } catch (IOException e) {
      throw IoErrors.map(e, "delete", v);
    }
  }

  /**
   * Renames or moves a file or folder within the home, atomically. The target must not exist. Runs on the
   * single event-loop thread, so no other command can create the target between the check and the move.
   *
   * @throws ProtocolException BAD_PATH for {@code /} or a folder moved into itself, NOT_FOUND, EXISTS, or as
   *     {@link #toReal}
   */
  public void rename(String cwd, String from, String to) throws ProtocolException {
    String vFrom = VirtualPath.resolve(cwd, from);
    String vTo = VirtualPath.resolve(cwd, to);
    if (vFrom.equals(VirtualPath.ROOT) || vTo.equals(VirtualPath.ROOT)) {
      throw new ProtocolException(ErrorCode.BAD_PATH, "your home folder / cannot be renamed or replaced");
    }
    if (vTo.startsWith(vFrom + "/")) {
      throw new ProtocolException(ErrorCode.BAD_PATH, "cannot move " + vFrom + " into itself");
    }
    FileInfo source = requireExisting(vFrom);
    Path target = toReal(vTo);
    if (statReal(target).exists()) throw new ProtocolException(ErrorCode.EXISTS, vTo + " already exists");
    confinement.requireRealParentInside(target, vTo);
    try {
      Files.move(source.real(), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "the folder that would contain " + vTo + " does not exist");
    } catch (IOException e) {
      throw IoErrors.map(e, "rename", vFrom);
    }
  }

  /**
   * Opens a regular file for reading without following a symlink at the last name, then checks that its
   * real path is still inside the home.
   *
   * @throws ProtocolException NOT_FOUND, IS_A_DIRECTORY, FORBIDDEN (symlink, special file, or outside)
   */
  public FileChannel openRead(Path real) throws ProtocolException {
    return channels.openRead(real);
  }

  /**
   * Opens a file for writing, creating it if missing, without following a symlink at the last name; checks
   * the real path after opening and only then truncates, so a swapped-in link never costs an outside file
   * its contents. Writes are positional: nothing here appends.
   *
   * @param truncate empty the file (after the checks)
   * @throws ProtocolException NOT_FOUND (parent missing), IS_A_DIRECTORY, FORBIDDEN
   */
  public FileChannel openWrite(Path real, boolean truncate) throws ProtocolException {
    return channels.openWrite(real, truncate);
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
   * Atomically renames a finished partial over the real name (replacing any file there) and syncs the
   * folder so the rename survives a crash. The caller has already forced the partial's bytes to disk.
   *
   * @throws ProtocolException IS_A_DIRECTORY if a folder has the final name, FORBIDDEN for a link, NOT_FOUND
   */
  public void publishPartial(Path partial, Path real) throws ProtocolException {
    channels.publish(partial, real);
  }

  /**
   * Deletes a partial if present.
   *
   * @return the bytes freed
   */
  public long deletePartial(Path partial) throws ProtocolException {
    if (!isPartial(partial)) throw new IllegalArgumentException("not a partial: " + partial.getFileName());
    FileInfo info = statReal(partial);
    if (!info.exists()) return 0;
    try {
      Files.deleteIfExists(partial);
      return info.size();
    } catch (IOException e) {
      throw IoErrors.map(e, "delete the partial of", confinement.virtualOf(partial));
    }
  }

  /**
   * Bytes of all regular files in the home, partials included, without following links. Walks the whole
   * tree: call it once per user (see {@link Quotas}), not per command.
   */
  public long usedBytes() throws IOException {
    return TreeScans.usedBytes(root);
  }

  /**
   * Deletes partials last modified more than {@code maxAge} before {@code now}. Walks the whole tree: a
   * maintenance task for startup or a timer, not for a command. Call {@link Quotas#forget} afterwards.
   *
   * @return how many partials were deleted
   */
  public int deleteStalePartials(Duration maxAge, Instant now) throws IOException {
    return TreeScans.deleteStalePartials(root, now.minus(maxAge));
  }

  private FileInfo requireExisting(String normalized) throws ProtocolException {
    FileInfo info = stat(normalized);
    if (!info.exists()) throw new ProtocolException(ErrorCode.NOT_FOUND, normalized + ": no such file or folder");
    return info;
  }
}
