package dev.selectftp.server.files;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening and publishing files without following links, re-checked after the fact; see {@link Home}. */
final class Channels {
  private static final Logger log = LoggerFactory.getLogger(Channels.class);

  private final Confinement confinement;

  Channels(Confinement confinement) {
    this.confinement = confinement;
  }

  FileChannel openRead(Path real) throws ProtocolException {
    String v = confinement.virtualOf(real);
    FileInfo info = confinement.statReal(real); // refuses links and FIFOs before open() could block on one
    if (!info.exists()) throw new ProtocolException(ErrorCode.NOT_FOUND, v + ": no such file");
    if (info.dir()) throw new ProtocolException(ErrorCode.IS_A_DIRECTORY, v + " is a folder");
    confinement.requireRealParentInside(real, v);
    return verifyInside(open(real, v, StandardOpenOption.READ), real, v, false);
  }

  FileChannel openWrite(Path real, boolean truncate) throws ProtocolException {
    String v = confinement.virtualOf(real);
    FileInfo info = confinement.statReal(real);
    if (info.dir()) throw new ProtocolException(ErrorCode.IS_A_DIRECTORY, v + " is a folder");
    confinement.requireRealParentInside(real, v);
    boolean created = !info.exists();
    FileChannel ch;
    try {
      // READ too: a resumed upload hashes the bytes its partial already holds through this channel.
      ch = created ? open(real, v, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)
          : open(real, v, StandardOpenOption.WRITE, StandardOpenOption.READ);
    } catch (ProtocolException e) {
      if (e.code() != ErrorCode.EXISTS) throw e;
      created = false; // appeared since the stat: open it as it is, the checks below still apply
      ch = open(real, v, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }
    ch = verifyInside(ch, real, v, created);
    if (truncate) {
      try {
        ch.truncate(0); // only now: truncating on open would damage a file reached through a swapped link
      } catch (IOException e) {
        closeQuietly(ch);
        throw IoErrors.map(e, "truncate", v);
      }
    }
    return ch;
  }

  void publish(Path partial, Path real) throws ProtocolException {
    String v = confinement.virtualOf(real);
    if (!Partials.isPartial(partial) || !partial.getParent().equals(real.getParent())) {
      throw new IllegalArgumentException("not a partial of the same folder");
    }
    if (confinement.statReal(real).dir()) throw new ProtocolException(ErrorCode.IS_A_DIRECTORY, v + " is a folder");
    if (!confinement.statReal(partial).exists()) {
      throw new ProtocolException(ErrorCode.NOT_FOUND, "the partial upload of " + v + " is gone");
    }
    confinement.requireRealParentInside(real, v);
    try {
      Files.move(partial, real, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces a file atomically
    } catch (IOException e) {
      throw IoErrors.map(e, "store", v);
    }
    try (FileChannel dir = FileChannel.open(real.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // makes the rename itself durable
    } catch (IOException e) {
      log.debug("cannot sync folder {} (not supported here?)", real.getParent(), e);
    }
  }

  private FileChannel verifyInside(FileChannel ch, Path real, String v, boolean created) throws ProtocolException {
    try {
      if (confinement.resolvesInside(real)) return ch;
      log.warn("{} resolved outside its home after open (a folder was swapped for a link); refused", real);
    } catch (IOException e) {
      log.warn("cannot re-check {} after open; refused", real, e);
    }
    closeQuietly(ch);
    if (created) {
      try {
        Files.deleteIfExists(real); // undo our own CREATE_NEW, wherever it landed
      } catch (IOException e) {
        log.warn("cannot remove {} created through a swapped folder", real, e);
      }
    }
    throw Confinement.outside(v);
  }

  private static FileChannel open(Path real, String v, StandardOpenOption... options) throws ProtocolException {
    Set<OpenOption> set = new HashSet<>(List.of(options));
    set.add(LinkOption.NOFOLLOW_LINKS);
    try {
      return FileChannel.open(real, set);
    } catch (FileSystemException e) {
      // O_NOFOLLOW on a link fails with ELOOP, which Java reports as a plain FileSystemException.
      if (Files.isSymbolicLink(real)) {
        throw new ProtocolException(ErrorCode.FORBIDDEN, v + " is a symlink; symlinks are not served", e);
      }
      throw IoErrors.map(e, "open", v);
    } catch (IOException e) {
      throw IoErrors.map(e, "open", v);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("close failed", e);
    }
  }
}
