package dev.selectftp.client.console;

import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local folder: where local names are read and written ({@code --local-dir} at start), and the
 * {@code lcd}, {@code lls} and {@code lpwd} commands that move and show it, as in ftp and sftp.
 */
final class LocalFolder {
  private final Terminal terminal;
  private final ListingFormat listing = new ListingFormat(ZoneId.systemDefault());
  private Path path;

  LocalFolder(Path start, Terminal terminal) {
    this.path = start;
    this.terminal = terminal;
  }

  /** The local folder now. */
  Path path() {
    return path;
  }

  /** {@code name} relative to the local folder (an absolute name stays as it is). */
  Path resolve(String name) {
    return path.resolve(name);
  }

  /**
   * Where a remote folder goes when no local name is given: its own last name in the local folder, or the
   * local folder itself for {@code /}, {@code .} and {@code ..}.
   */
  Path targetFor(String remoteFolder) {
    String name = OneFile.lastSegment(remoteFolder);
    return name.isEmpty() || name.equals(".") || name.equals("..") ? path : resolve(name);
  }

  /** The name a local folder has on the server when none is given: its own, or {@code .} for a root. */
  static String nameOf(Path folder) {
    Path name = folder.toAbsolutePath().normalize().getFileName();
    return name == null ? "." : name.toString();
  }

  /** {@code local} as the user would name it: relative to the local folder when inside it. */
  String shown(Path local) {
    return local.startsWith(path) ? path.relativize(local).toString() : local.toString();
  }

  /** lcd DIR: moves the local folder, which must exist, and prints where it is now. */
  void lcd(String dir) throws IOException {
    Path next = resolve(dir).toAbsolutePath().normalize();
    if (!Files.exists(next)) throw new NoSuchFileException(next.toString());
    if (!Files.isDirectory(next)) throw new NotDirectoryException(next.toString());
    path = next;
    terminal.println(next.toString());
  }

  /** lpwd: the local folder, absolute. */
  void lpwd() {
    terminal.println(path.toAbsolutePath().normalize().toString());
  }

  /** lls [DIR]: the local folder (or DIR in it) as {@code ls} shows a remote one; hidden partials left out. */
  void lls(String dirOrNull) throws IOException {
    Path dir = dirOrNull == null ? path : resolve(dirOrNull);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) throw new NoSuchFileException(dir.toString());
    List<Response.Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      entries.add(entry(dir));
    } else {
      try (Stream<Path> children = Files.list(dir)) {
        for (Path child : children.toList()) {
          if (!LocalTree.isPartial(child.getFileName().toString())) entries.add(entry(child));
        }
      }
    }
    for (String line : listing.lines(entries)) terminal.println(line);
  }

  private static Response.Entry entry(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    String modified = a.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    return new Response.Entry(file.getFileName().toString(), a.isDirectory(), a.isDirectory() ? 0 : a.size(),
        modified);
  }
}
