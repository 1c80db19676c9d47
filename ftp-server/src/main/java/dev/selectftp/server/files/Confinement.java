package dev.selectftp.server.files;

import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.storage.FileInfo;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches the names of one home by descriptor, never by path; the security core behind {@link Home}.
 *
 * <p>Every operation opens the home's root (trusted: the server's own {@code <data>/home/<user>}, resolved
 * once) and then each folder on the way with {@code openat(parent, name, O_NOFOLLOW)} relative to the one
 * before, through the JDK's {@link SecureDirectoryStream}. The last name is then stat'ed, opened, renamed
 * or deleted relative to its folder's descriptor ({@code fstatat}, {@code openat}, {@code renameat},
 * {@code unlinkat}, all without following links). A folder swapped for a symlink after it was looked at is
 * therefore never followed: the kernel refuses the link ({@code ELOOP}) or the operation acts on the folder
 * that was opened, which is inside the home. Nothing is checked first and used by path later.
 *
 * <p>Each name on the way is {@code fstatat}'ed before it is opened, so links, files and special files get
 * their proper error, and a FIFO is never opened (opening one blocks). Cost per request: one open of the
 * root, one {@code fstatat} + {@code openat} per folder on the way, then the operation itself.
 */
final class Confinement {
  /**
   * Linux's PATH_MAX less the NUL. A 4096-char virtual path can be 12 KiB of UTF-8, and a syscall given
   * more than this fails with a generic ENAMETOOLONG; refusing it up front gives the user a clear answer.
   */
  static final int MAX_REAL_PATH_BYTES = 4095;

  private static final Logger log = LoggerFactory.getLogger(Confinement.class);

  private final Path root;
  /** Test seam: runs after a walk holds its last folder and before the operation on it; null in production. */
  private volatile Runnable afterWalk;

  /**
   * @param root already real (symlink-free)
   * @throws IOException if the root cannot be opened, or this platform has no {@link SecureDirectoryStream}
   */
  Confinement(Path root) throws IOException {
    this.root = root;
    requireSecureDirectories(root);
  }

  Path root() {
    return root;
  }

  /** See {@link #afterWalk}: lets a test swap a folder for a link exactly between check and use. */
  void afterWalk(Runnable action) {
    this.afterWalk = action;
  }

  /**
   * Fails unless {@code dir} opens as a {@link SecureDirectoryStream}: without openat there is no way to
   * confine a home against a racing local process, and the server must not pretend otherwise.
   *
   * @throws IOException on a platform without it (the JDK offers it on Linux), so that start-up fails with
   *     this message ("cannot start: ...")
   */
  static void requireSecureDirectories(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      if (!(ds instanceof SecureDirectoryStream)) {
        throw new IOException("this Java runtime on " + System.getProperty("os.name")
            + " offers no SecureDirectoryStream (openat); SelectFTP cannot confine homes without it");
      }
    }
  }

  /** Normalizes a virtual path and splits it into names, refusing what the OS could not take. */
  List<String> namesOf(String virtualPath) throws Refused {
    String normalized = VirtualPath.resolve(VirtualPath.ROOT, virtualPath);
    List<String> names = VirtualPath.names(normalized);
    try {
      Path real = realOf(names);
      // Room is left for the partial's longer name, so every path accepted here can be uploaded to.
      if (real.toString().getBytes(StandardCharsets.UTF_8).length > MAX_REAL_PATH_BYTES - Partials.MAX_EXTRA_BYTES) {
        throw new Refused(Refusal.BAD_PATH, "the path " + normalized + " is too long for the server");
      }
    } catch (InvalidPathException e) {
      throw new Refused(Refusal.BAD_PATH, "the path " + normalized + " is not valid here");
    }
    return names;
  }

  /**
   * The names of a real path from the root down. A path not lexically inside the home is a caller's bug: every
   * real path comes from {@link #realOf} (or {@link Home#partialFor}).
   *
   * @throws IllegalArgumentException if it is not inside
   */
  List<String> namesOf(Path real) {
    Path n = real.normalize();
    if (!n.isAbsolute() || !n.startsWith(root)) throw new IllegalArgumentException("path is outside the home");
    List<String> names = new ArrayList<>(n.getNameCount() - root.getNameCount());
    for (Path name : root.relativize(n)) {
      String s = name.toString();
      if (!s.isEmpty()) names.add(s);
    }
    return names;
  }

  Path realOf(List<String> names) {
    Path p = root;
    for (String name : names) p = p.resolve(name);
    return p;
  }

  /** The virtual path of the first {@code count} names. */
  static String virtualOf(List<String> names, int count) {
    int n = Math.min(count, names.size());
    return n == 0 ? VirtualPath.ROOT : VirtualPath.ROOT + String.join("/", names.subList(0, n));
  }

  /**
   * Stats what the names lead to, checking every existing name from the root down.
   *
   * @return {@link FileInfo#missing} when a name on the way or the last one does not exist
   * @throws Refused FORBIDDEN for a link anywhere or a special file at the end, NOT_A_DIRECTORY
   *     for a file before the end
   */
  FileInfo stat(List<String> names) throws Refused {
    Path real = realOf(names);
    if (names.isEmpty()) {
      SecureDirectoryStream<Path> dir = openRoot();
      try {
        return NameChecks.info(real, dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes());
      } catch (IOException e) {
        throw IoErrors.map(e, "look up", VirtualPath.ROOT);
      } finally {
        closeQuietly(dir);
      }
    }
    try (Located at = locate(names)) {
      if (at == null) return FileInfo.missing(real);
      BasicFileAttributes a = at.lstat();
      if (a == null) return FileInfo.missing(real);
      NameChecks.refuseLinkOrSpecial(a, at.virtualPath());
      return NameChecks.info(real, a);
    }
  }

  /**
   * Opens the folder holding the last name (names must not be empty).
   *
   * @return null when a folder on the way does not exist
   * @throws Refused FORBIDDEN for a link on the way, NOT_A_DIRECTORY for a file on the way
   */
  Located locate(List<String> names) throws Refused {
    if (names.isEmpty()) throw new IllegalArgumentException("the root has no folder holding it");
    SecureDirectoryStream<Path> dir = descend(names, names.size() - 1);
    if (dir == null) return null;
    runAfterWalk();
    return new Located(dir, NameChecks.nameOf(root.getFileSystem(), names.get(names.size() - 1)),
        virtualOf(names, names.size()));
  }

  /**
   * Opens the folder that the names lead to.
   *
   * @throws Refused NOT_FOUND, NOT_A_DIRECTORY, FORBIDDEN (a link anywhere, a special file)
   */
  SecureDirectoryStream<Path> openFolder(List<String> names) throws Refused {
    SecureDirectoryStream<Path> dir = descend(names, names.size());
    if (dir == null) {
      throw new Refused(Refusal.NOT_FOUND, virtualOf(names, names.size()) + ": no such folder");
    }
    runAfterWalk();
    return dir;
  }

  private void runAfterWalk() {
    Runnable action = afterWalk;
    if (action != null) action.run();
  }

  /** Opens names[0..count) from the root; null when one of them does not exist. */
  private SecureDirectoryStream<Path> descend(List<String> names, int count) throws Refused {
    SecureDirectoryStream<Path> dir = openRoot();
    for (int i = 0; i < count && dir != null; i++) {
      SecureDirectoryStream<Path> next;
      try {
        next = openChild(dir, names, i);
      } finally {
        closeQuietly(dir);
      }
      dir = next;
    }
    return dir;
  }

  /** Opens names[i] inside dir without following a link; null when it does not exist. */
  private SecureDirectoryStream<Path> openChild(SecureDirectoryStream<Path> dir, List<String> names, int i)
      throws Refused {
    Path name = NameChecks.nameOf(root.getFileSystem(), names.get(i));
    String v = virtualOf(names, i + 1);
    BasicFileAttributes a = NameChecks.lstat(dir, name, v);
    if (a == null) return null;
    if (a.isSymbolicLink()) throw NameChecks.link(v);
    if (a.isOther() && i == names.size() - 1) NameChecks.refuseLinkOrSpecial(a, v);
    if (!a.isDirectory()) throw new Refused(Refusal.NOT_A_DIRECTORY, v + " is not a folder");
    try {
      return dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (NotDirectoryException e) {
      throw new Refused(Refusal.NOT_A_DIRECTORY, v + " is not a folder", e);
    } catch (IOException e) {
      throw NameChecks.swappedOrFailed(v, "open", e);
    }
  }

  /** Opens the root by path: it is the server's own folder, resolved once when the home was made. */
  SecureDirectoryStream<Path> openRoot() throws Refused {
    try {
      DirectoryStream<Path> ds = Files.newDirectoryStream(root);
      if (ds instanceof SecureDirectoryStream<Path> sds) return sds;
      ds.close();
      throw new UnsupportedOperationException("no SecureDirectoryStream here; see requireSecureDirectories");
    } catch (IOException e) {
      throw IoErrors.map(e, "open your home folder", VirtualPath.ROOT);
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception e) {
      log.debug("close failed", e);
    }
  }
}
