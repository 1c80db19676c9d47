package dev.selectftp.client.bench;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.TransferListener;
import dev.selectftp.client.bench.Plan.Op;
import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The files a bench run needs and leaves behind: the bench users, a local source file of {@code --size},
 * each user's remote copy of it for {@code get} in {@value #REMOTE_DIR}, and afterwards the removal of the
 * downloads and of the per-client uploads.
 */
final class Fixtures {
  static final String REMOTE_DIR = "/selectftp-bench";

  private final Plan plan;
  private final ClientTls tls;
  private final PrintStream err;
  private Path dir;
  private boolean tempDir;
  private Path source;

  Fixtures(Plan plan, ClientTls tls, PrintStream err) {
    this.plan = plan;
    this.tls = tls;
    this.err = err;
  }

  /** The folder for local files. */
  Path dir() {
    return dir;
  }

  /** The local file that {@code put} uploads; null when the mix holds no transfer. */
  Path source() {
    return source;
  }

  /**
   * Registers users, makes the local source file and each user's remote source for {@code get}.
   *
   * @param localDir the folder for local files, or null for a temp folder that is removed afterwards
   */
  void prepare(Path localDir) throws IOException {
    if (localDir == null) {
      dir = Files.createTempDirectory("selectftp-bench");
      tempDir = true;
    } else {
      dir = Files.createDirectories(localDir);
    }
    long sizeBytes = plan.sizeBytes();
    boolean transfers = plan.has(Op.GET) || plan.has(Op.PUT);
    if (transfers) source = makeSource(dir, sizeBytes);
    char[] pw = plan.password().toCharArray();
    for (String u : plan.users()) {
      try (FtpClient c = plan.connect(tls)) {
        if (plan.register() > 0) {
          try {
            c.register(u, pw);
            err.println("registered " + u);
          } catch (FtpException e) {
            if (e.code() != ErrorCode.USER_EXISTS) throw e;
          }
        }
        c.login(u, pw);
        if (!transfers) continue;
        try {
          c.mkdir(REMOTE_DIR);
        } catch (FtpException e) {
          if (e.code() != ErrorCode.EXISTS) throw e;
        }
        if (plan.has(Op.GET)) {
          String name = sourceName(sizeBytes);
          boolean present = c.list(REMOTE_DIR).stream().anyMatch(e -> e.name().equals(name) && e.size() == sizeBytes);
          if (!present) c.put(source, REMOTE_DIR + "/" + name, TransferListener.NONE);
        }
      }
    }
  }

  static String sourceName(long size) {
    return "src-" + size + ".bin";
  }

  /** A local file of {@code size} pseudo-random bytes, reused while its size is right. */
  static Path makeSource(Path dir, long size) throws IOException {
    Path file = dir.resolve("selectftp-bench-" + sourceName(size));
    if (Files.isRegularFile(file) && Files.size(file) == size) return file;
    SplittableRandom random = new SplittableRandom(size);
    byte[] block = new byte[1 << 20];
    try (OutputStream o = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        for (int i = 0; i < block.length; i += 8) {
          long v = random.nextLong();
          for (int j = 0; j < 8; j++) block[i + j] = (byte) (v >>> (j * 8));
        }
        int n = (int) Math.min(block.length, left);
        o.write(block, 0, n);
        left -= n;
      }
    }
    return file;
  }

  /** Removes the downloads, and the source and the folder when they are a temp folder's. */
  void cleanUpLocal() {
    if (dir == null) return;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        boolean ours = name.startsWith("get-") || name.startsWith(".get-");
        if (ours || (tempDir && name.startsWith("selectftp-bench-"))) Files.deleteIfExists(f);
      }
      if (tempDir) Files.deleteIfExists(dir);
    } catch (IOException e) {
      err.println("warning: could not clean " + dir + ": " + e.getMessage());
    }
  }

  /** Deletes the per-client upload targets, so repeated runs do not pile up quota. */
  void cleanUpRemote() {
    if (!plan.has(Op.PUT)) return;
    for (String u : plan.users()) {
      try (FtpClient c = plan.connect(tls)) {
        c.login(u, plan.password().toCharArray());
        for (Response.Entry e : c.list(REMOTE_DIR)) {
          if (e.name().startsWith("put-")) c.delete(REMOTE_DIR + "/" + e.name());
        }
      } catch (IOException e) {
        err.println("warning: could not remove uploads of " + u + ": " + e.getMessage());
      }
    }
  }
}
