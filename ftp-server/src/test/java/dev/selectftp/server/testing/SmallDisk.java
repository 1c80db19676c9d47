package dev.selectftp.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real 2 MiB tmpfs mounted at a folder for one test, so that a write really fails with "no space left on
 * device" and the store really is low on space. Needs root and {@code mount}; the test is skipped (a JUnit
 * assumption) where it cannot mount.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mount;

  private SmallDisk(Path mount) {
    this.mount = mount;
  }

  /** Mounts the tmpfs at {@code folder} (created), or skips the calling test. */
  public static SmallDisk mountAt(Path folder) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    assumeTrue(exec("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", folder.toString()),
        "cannot mount a tmpfs here (needs root)");
    return new SmallDisk(folder);
  }

  public Path root() {
    return mount;
  }

  @Override
  public void close() throws InterruptedException {
    exec("umount", "-l", mount.toString());
  }

  private static boolean exec(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
