package dev.selectftp.server.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A data dir with the home under test, a sibling home and sentinels outside, plus snapshots of them. */
final class TestTree {
  final Path data;
  final Path homeDir;
  final Path siblingHome;
  final Path sentinel;
  final Home home;

  TestTree(Path data) throws IOException {
    this.data = data;
    this.homeDir = Files.createDirectories(data.resolve("home/xiaoyu"));
    this.siblingHome = Files.createDirectories(data.resolve("home/xiaoyu2"));
    this.sentinel = Files.createDirectories(data.resolve("home/sentinel"));
    Files.writeString(siblingHome.resolve("secret.txt"), "xiaoyu2's secret");
    Files.writeString(sentinel.resolve("keep.txt"), "sentinel");
    Files.createDirectories(data.resolve("etc"));
    Files.writeString(data.resolve("etc/passwd"), "root:x:0:0");
    Files.writeString(data.resolve("outside.txt"), "outside");
    Files.createDirectories(homeDir.resolve("docs"));
    Files.writeString(homeDir.resolve("victim.txt"), "victim");
    this.home = new Home(homeDir);
  }

  /** Every path under the data dir except inside the home under test: kind, size and content. */
  Map<String, String> outsideSnapshot() {
    Map<String, String> snap = new TreeMap<>();
    try (Stream<Path> all = Files.walk(data)) {
      all.filter(p -> !p.startsWith(homeDir) || p.equals(homeDir)).forEach(p -> snap.put(
          data.relativize(p).toString(), describe(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return snap;
  }

  private static String describe(Path p) {
    try {
      if (Files.isSymbolicLink(p)) return "link -> " + Files.readSymbolicLink(p);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "dir";
      return "file " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " "
          + new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
