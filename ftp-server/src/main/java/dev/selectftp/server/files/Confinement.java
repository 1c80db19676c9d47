package dev.selectftp.server.files;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** The checks that keep one home's real paths inside its root; the security core behind {@link Home}. */
final class Confinement {
  /**
   * Linux's PATH_MAX less the NUL. A 4096-char virtual path can be 12 KiB of UTF-8, and a syscall given
   * more than this fails with a generic ENAMETOOLONG; refusing it up front gives the user a clear answer.
   */
  static final int MAX_REAL_PATH_BYTES = 4095;

  private final Path root;

  /** @param root already real (symlink-free) */
  Confinement(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** See {@link Home#toReal}. */
  Path toReal(String virtualPath) throws ProtocolException {
    String normalized = VirtualPath.resolve(VirtualPath.ROOT, virtualPath);
    List<String> names = VirtualPath.names(normalized);
    Path p = root;
    boolean checking = true;
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      try {
        p = p.resolve(names.get(i));
      } catch (InvalidPathException e) {
        throw new ProtocolException(ErrorCode.BAD_PATH, "the path " + normalized + " is not valid here");
      }
      prefix.append('/').append(names.get(i));
      // Room is left for the partial's longer name, so every path accepted here can be uploaded to.
      if (p.toString().getBytes(StandardCharsets.UTF_8).length > MAX_REAL_PATH_BYTES - Partials.MAX_EXTRA_BYTES) {
        throw new ProtocolException(ErrorCode.BAD_PATH, "the path " + normalized + " is too long for the server");
      }
      if (!checking) continue;
      BasicFileAttributes a = attributesOrNull(p, prefix.toString());
      if (a == null) {
        checking = false; // nothing below a missing name can exist, let alone be a link
      } else if (a.isSymbolicLink()) {
        throw new ProtocolException(ErrorCode.FORBIDDEN, prefix + " is a symlink; symlinks are not served");
      } else if (i < names.size() - 1 && !a.isDirectory()) {
        throw new ProtocolException(ErrorCode.NOT_A_DIRECTORY, prefix + " is not a folder");
      } else if (a.isOther()) {
        throw new ProtocolException(ErrorCode.FORBIDDEN, prefix + " is a special file and is not served");
      }
    }
    return p;
  }

  /** See {@link Home#statReal}. */
  FileInfo statReal(Path real) throws ProtocolException {
    String v = virtualOf(real);
    BasicFileAttributes a = attributesOrNull(real, v);
    if (a == null) return FileInfo.missing(real);
    if (a.isSymbolicLink()) {
      throw new ProtocolException(ErrorCode.FORBIDDEN, v + " is a symlink; symlinks are not served");
    }
    if (a.isOther()) throw new ProtocolException(ErrorCode.FORBIDDEN, v + " is a special file and is not served");
    return new FileInfo(real, true, a.isDirectory(), a.isDirectory() ? 0 : a.size(),
        a.lastModifiedTime().toMillis(), a.fileKey());
  }

  /** The virtual form of a real path, for messages; a path not lexically inside is a caller's bug. */
  String virtualOf(Path real) {
    Path n = real.normalize();
    if (!n.isAbsolute() || !n.startsWith(root)) throw new IllegalArgumentException("path is outside the home");
    String rel = root.relativize(n).toString().replace(n.getFileSystem().getSeparator(), "/");
    return rel.isEmpty() ? VirtualPath.ROOT : VirtualPath.ROOT + rel;
  }

  /** Catches a parent folder swapped for a link after {@link #toReal} looked at it. */
  void requireRealParentInside(Path real, String v) throws ProtocolException {
    try {
      if (!real.getParent().toRealPath().startsWith(root)) throw outside(v);
    } catch (NoSuchFileException e) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "the folder that would contain " + v + " does not exist");
    } catch (IOException e) {
      throw IoErrors.map(e, "look up", v);
    }
  }

  /** True when the real path, all links followed, still lies inside the home. */
  boolean resolvesInside(Path real) throws IOException {
    return real.toRealPath().startsWith(root);
  }

  static ProtocolException outside(String v) {
    return new ProtocolException(ErrorCode.FORBIDDEN, v + " leads outside your home; refused");
  }

  private static BasicFileAttributes attributesOrNull(Path p, String v) throws ProtocolException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw IoErrors.map(e, "look up", v);
    }
  }
}
