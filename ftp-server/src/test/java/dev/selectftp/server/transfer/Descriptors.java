package dev.selectftp.server.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** This process's open descriptors as Linux's {@code /proc/self/fd} shows them: what a leak looks like from outside. */
public final class Descriptors {
  private Descriptors() {}

  /** The empty answer of {@link #openOn}, for assertions that read as sentences. */
  public static List<String> none() {
    return List.of();
  }

  /**
   * The descriptors open on {@code file}, also after it was deleted (the kernel then shows the path with
   * " (deleted)"), each as "fd -> target".
   */
  public static List<String> openOn(Path file) throws IOException {
    String target = real(file).toString();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.flatMap(fd -> {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          boolean match = link.equals(target) || link.equals(target + " (deleted)");
          return match ? Stream.of(fd.getFileName() + " -> " + link) : Stream.empty();
        } catch (IOException e) {
          return Stream.empty(); // the listing's own descriptor, closed by now
        }
      }).toList();
    }
  }

  /** The path with its deepest existing ancestor resolved as the kernel names it (no links, absolute). */
  private static Path real(Path file) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    if (existing == null) return absolute;
    return existing.toRealPath().resolve(existing.relativize(absolute));
  }
}
