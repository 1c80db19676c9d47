package dev.selectftp.server;

import dev.selectftp.common.LogText;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes partial uploads nobody touched for the configured age, one home at a time off the loop, skipping
 * any an upload holds. Each home's clean-up is announced to the quotas first and what it freed applied as a
 * delta after, so a count of that home running meanwhile is held back, never half-right. Runs at start and
 * then every {@link #PERIOD}; its steps are posted to the loop, its file work runs on {@code background}.
 */
final class PartialSweep {
  private static final Logger log = LoggerFactory.getLogger(PartialSweep.class);
  /** How often stale partial uploads are looked for (docs/PROTOCOL.md: one hour after the last sweep). */
  private static final Duration PERIOD = Duration.ofHours(1);
  /**
   * A system property (whole seconds) that shortens {@link #PERIOD} for tests of the sweep that keeps
   * running after start; not an option: an hour is what the documentation promises.
   */
  static final String PERIOD_PROPERTY = "selectftp.partialSweepSeconds";

  private final EventLoop loop;
  private final Background background;
  private final Storage files;
  private final HomeNames homes;
  private final Quotas quotas;
  private final UploadLocks locks;
  private final Duration maxAge;
  private final long periodNanos = TimeUnit.SECONDS.toNanos(Long.getLong(PERIOD_PROPERTY, PERIOD.toSeconds()));

  /** Blocking: the names of the homes to sweep (a folder listing on disk, a delimiter listing on S3). */
  interface HomeNames {
    List<String> list() throws IOException;
  }

  PartialSweep(EventLoop loop, Background background, Storage files, HomeNames homes, Quotas quotas,
      UploadLocks locks, Duration maxAge) {
    this.loop = loop;
    this.background = background;
    this.files = files;
    this.homes = homes;
    this.quotas = quotas;
    this.locks = locks;
    this.maxAge = maxAge;
  }

  /** Schedules the first sweep at once on the loop. */
  void start() {
    loop.schedule(0, this::sweep);
  }

  private void sweep() {
    background.run(homes::list, (users, failure) -> {
      if (failure != null) {
        log.warn("stale partial sweep failed: {}", LogText.of(failure.toString()));
        loop.schedule(periodNanos, this::sweep);
      } else {
        sweepNext(users.iterator());
      }
    });
  }

  /** The homes of the local store: the folders in {@code homesDir}. */
  static List<String> localHomes(Path homesDir) throws IOException {
    List<String> users = new ArrayList<>();
    if (!Files.isDirectory(homesDir)) return users;
    try (DirectoryStream<Path> homes = Files.newDirectoryStream(homesDir)) {
      for (Path dir : homes) users.add(dir.getFileName().toString());
    }
    return users;
  }

  private void sweepNext(Iterator<String> users) {
    if (!users.hasNext()) {
      loop.schedule(periodNanos, this::sweep);
      return;
    }
    String user = users.next();
    quotas.beginChange(user);
    background.run(() -> files.deleteStalePartials(user, maxAge, Instant.now(), locks),
        (freed, failure) -> {
          quotas.endChange(user, failure == null ? freed.negated() : Tally.ZERO);
          if (failure instanceof RejectedExecutionException) return; // shutting down
          if (failure instanceof IllegalArgumentException) {
            log.debug("stale partial sweep skips {}: not a user's home", LogText.of(user));
          } else if (failure != null) {
            log.warn("stale partial sweep skips {}: {}", LogText.of(user), LogText.of(failure.toString()));
          }
          sweepNext(users);
        });
  }
}
