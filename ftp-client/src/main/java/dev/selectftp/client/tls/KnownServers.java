package dev.selectftp.client.tls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The pinned certificates of self-signed servers, one line each, as ssh's {@code known_hosts}:
 * {@code host:port SHA256:<fingerprint>} ({@code [v6-address]:port} for IPv6); blank lines and lines that
 * start with {@code #} are skipped. The first use of a server appends its line; a later certificate must
 * match a line of its {@code host:port}. Decisions are made under a lock, in this JVM and on the file, so
 * clients connecting at once (a bench) pin once and never see a half-written line.
 */
public final class KnownServers {
  /** In this JVM; the file lock orders processes. */
  private static final Object LOCK = new Object();

  private final Path file;

  public KnownServers(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  /** What the file says about a server's certificate. */
  public sealed interface Verdict {
    /** A line of this server holds this fingerprint. */
    record Known() implements Verdict {}

    /** The server had no line; one was added. */
    record Pinned() implements Verdict {}

    /** The server has a line (the first is {@code line}, from 1) with another fingerprint. */
    record Changed(int line) implements Verdict {}

    /** The server has no line, and none was added. */
    record Unknown() implements Verdict {}
  }

  /** The {@code host:port} of a server as the file writes it. */
  public static String key(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Checks {@code fingerprint} against the lines of {@code server}, and pins it when there are none and
   * {@code pin} is true.
   *
   * @throws IOException when the file cannot be read, or (first use) written
   */
  public Verdict check(String server, Fingerprint fingerprint, boolean pin) throws IOException {
    synchronized (LOCK) {
      if (!pin && !Files.exists(file)) return new Verdict.Unknown();
      Path parent = file.getParent();
      if (parent != null && !Files.isDirectory(parent)) createPrivateFolder(parent);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int firstOfServer = 0;
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.isEmpty() || line.startsWith("#")) continue;
          String[] fields = line.split("\\s+");
          if (!fields[0].equals(server)) continue;
          Fingerprint pinned = fields.length >= 2 ? Fingerprint.parse(fields[1]) : null;
          if (pinned != null && pinned.matches(fingerprint)) return new Verdict.Known();
          if (firstOfServer == 0) firstOfServer = i + 1;
        }
        if (firstOfServer > 0) return new Verdict.Changed(firstOfServer);
        if (!pin) return new Verdict.Unknown();
        String line = server + " " + fingerprint + "\n";
        boolean needsNewline = channel.size() > 0 && !endsWithNewline(channel);
        channel.write(java.nio.ByteBuffer.wrap(((needsNewline ? "\n" : "") + line).getBytes(StandardCharsets.UTF_8)),
            channel.size());
        channel.force(false);
        return new Verdict.Pinned();
      }
    }
  }

  private static boolean endsWithNewline(FileChannel channel) throws IOException {
    java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
    channel.read(last, channel.size() - 1);
    return last.get(0) == '\n';
  }

  /** Like ssh's ~/.ssh: readable by its owner only, where the file system allows. */
  private static void createPrivateFolder(Path folder) throws IOException {
    try {
      Files.createDirectories(folder.getParent() == null ? folder : folder.getParent());
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(folder);
    } catch (FileAlreadyExistsException e) {
      // made meanwhile by another process
    }
  }
}
