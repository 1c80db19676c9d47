package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class 7 of issue 9: a local process swaps a folder inside a home and a symlink to an outside folder as
 * fast as it can while a client downloads from, uploads into and makes folders in that folder through the
 * real server. Not one byte may come from outside, and the outside folder must stay exactly as it was.
 *
 * <p>Runs {@code -Djail.race.seconds} seconds (5 by default; the full run is 60).
 */
class JailRaceTest {
  private static final String USER = "xiaoyu";
  private static final String PASSWORD = "123456";
  private static final byte[] INSIDE = "inside: the user's own file\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "SECRET from outside the home; must never be served\n".repeat(4)
      .getBytes(StandardCharsets.UTF_8);

  @TempDir Path data;

  @Test
  void aFolderSwappedForALinkAsFastAsPossibleNeverLetsAByteInOrOut() throws Exception {
    long seconds = Long.getLong("jail.race.seconds", 5);
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(data))) {
      Path home = data.resolve("home").resolve(USER);
      Path box = home.resolve("box");
      Files.createDirectories(box.resolve("marker"));
      Files.write(box.resolve("f.bin"), INSIDE);
      Path outside = Files.createDirectories(data.resolve("outside"));
      Files.createDirectories(outside.resolve("marker"));
      Files.write(outside.resolve("f.bin"), SECRET);
      Path parkedDir = data.resolve("parked-dir");
      Path parkedLink = Files.createSymbolicLink(data.resolve("parked-link"), outside.toAbsolutePath());
      Map<String, String> outsideBefore = snapshot(outside);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong swaps = new AtomicLong();
      Counts counts = new Counts();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<?>> tasks = new ArrayList<>();
      tasks.add(pool.submit(() -> swap(box, parkedDir, parkedLink, running, swaps)));
      tasks.add(pool.submit(() -> downloads(server.port(), running, counts)));
      tasks.add(pool.submit(() -> uploads(server.port(), running, counts)));
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      running.set(false);
      for (Future<?> f : tasks) f.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      Map<String, String> outsideAfter = snapshot(outside);
      System.out.printf("[jail-race] %d s, %d swaps: %d downloads (%d ok, %d from OUTSIDE), "
              + "%d uploads (%d ok), %d mkdirs (%d ok), %d refusals %s, %d reconnects; outside now %s%n", seconds,
          swaps.get(), counts.downloads.get(), counts.downloadsOk.get(), counts.secretReads.get(),
          counts.uploads.get(), counts.uploadsOk.get(), counts.mkdirs.get(), counts.mkdirsOk.get(),
          counts.refusals.get(), new TreeMap<>(counts.byCode), counts.reconnects.get(), outsideAfter.keySet());
      assertTrue(swaps.get() > 100, "the swapper ran");
      assertTrue(counts.downloadsOk.get() > 0 && counts.uploadsOk.get() > 0, "some requests got through");
      assertEquals(0, counts.secretReads.get(), "downloads that returned the outside file's bytes");
      assertEquals(outsideBefore, outsideAfter, "the outside folder changed (bytes written outside)");
    }
  }

  /** Folder, gone, link, gone, folder...: each step is one rename(2), as a hostile local process would do. */
  private static Void swap(Path box, Path parkedDir, Path parkedLink, AtomicBoolean running, AtomicLong swaps)
      throws IOException {
    while (running.get()) {
      Files.move(box, parkedDir);
      Files.move(parkedLink, box);
      Files.move(box, parkedLink);
      Files.move(parkedDir, box);
      swaps.incrementAndGet();
    }
    return null;
  }

  private static Void downloads(int port, AtomicBoolean running, Counts counts) throws IOException {
    RawClient c = RawClient.connect(port).login(USER, PASSWORD);
    try {
      while (running.get()) {
        counts.downloads.incrementAndGet();
        try {
          c.send(new Request.Get("box/f.bin", 0, null));
          Response r = c.next();
          if (!(r instanceof Response.GetReady ready)) {
            counts.refused(r);
            continue;
          }
          byte[] bytes = new byte[(int) (ready.size() - ready.offset())];
          c.readRaw(bytes);
          c.next(); // get-done
          if (Arrays.equals(bytes, SECRET) || new String(bytes, StandardCharsets.UTF_8).contains("SECRET")) {
            counts.secretReads.incrementAndGet();
          } else {
            counts.downloadsOk.incrementAndGet();
          }
        } catch (IOException e) {
          // a file that changed under a send ends the connection; start a new one
          c.close();
          counts.reconnects.incrementAndGet();
          c = RawClient.connect(port).login(USER, PASSWORD);
        }
      }
    } finally {
      c.close();
    }
    return null;
  }

  private static Void uploads(int port, AtomicBoolean running, Counts counts) throws IOException {
    RawClient c = RawClient.connect(port).login(USER, PASSWORD);
    try {
      for (int n = 0; running.get(); n++) {
        try {
          String name = n % 2 == 0 ? "box/up.bin" : "box/marker/up.bin";
          counts.uploads.incrementAndGet();
          Response r = c.upload(name, ("upload " + n + "\n").getBytes(StandardCharsets.UTF_8));
          if (r instanceof Response.PutDone) counts.uploadsOk.incrementAndGet();
          else counts.refused(r);
          counts.mkdirs.incrementAndGet();
          c.send(new Request.MakeDir("box/marker/made-" + n)); // a fresh name: a leftover never answers "exists"
          Response made = c.next();
          if (made instanceof Response.Ok) {
            counts.mkdirsOk.incrementAndGet();
          } else {
            counts.refused(made);
          }
        } catch (IOException e) {
          c.close();
          counts.reconnects.incrementAndGet();
          c = RawClient.connect(port).login(USER, PASSWORD);
        }
      }
    } finally {
      c.close();
    }
    return null;
  }

  /** Names, kinds and contents of everything under {@code dir}, without following links. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> snap = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      all.forEach(p -> {
        try {
          String kind = Files.isSymbolicLink(p) ? "link"
              : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
              : "file " + new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
          snap.put(dir.relativize(p).toString(), kind);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return snap;
  }

  private static final class Counts {
    final AtomicLong downloads = new AtomicLong();
    final AtomicLong downloadsOk = new AtomicLong();
    final AtomicLong secretReads = new AtomicLong();
    final AtomicLong uploads = new AtomicLong();
    final AtomicLong uploadsOk = new AtomicLong();
    final AtomicLong mkdirs = new AtomicLong();
    final AtomicLong mkdirsOk = new AtomicLong();
    final AtomicLong refusals = new AtomicLong();
    final Map<String, AtomicLong> byCode = new java.util.concurrent.ConcurrentHashMap<>();

    void refused(Response r) {
      refusals.incrementAndGet();
      String code = r instanceof Response.Error e ? e.code() : r.getClass().getSimpleName();
      byCode.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }
    final AtomicLong reconnects = new AtomicLong();
  }
}
