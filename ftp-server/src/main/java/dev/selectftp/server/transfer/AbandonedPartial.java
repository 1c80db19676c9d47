package dev.selectftp.server.transfer;

import dev.selectftp.common.LogText;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the partial of an upload that ended without success (the connection went away, a commit
 * failed, a discard could not delete it): it stays resumable, trimmed to the room the quota leaves without
 * the replaced file's credit, and deleted when no room is left, so at rest stored + partial bytes never pass
 * the quota. Blocking (store calls: a stat, maybe a truncate or an unlink, by descriptor): helper threads only.
 */
final class AbandonedPartial {
  private static final Logger log = LoggerFactory.getLogger(AbandonedPartial.class);

  private AbandonedPartial() {}

  /**
   * Trims or deletes the partial and returns the change to the user's totals.
   *
   * @param channel the upload's write channel; closed here if the partial is deleted, reopened by descriptor
   *     if a failed commit closed it
   * @param room the bytes the partial may keep ({@code Quotas.roomWithoutCredit})
   * @param counted the bytes of the partial the user's stored total already counts
   * @param mostHeld the most the partial can hold, counted when it cannot be looked at
   */
  static Tally settle(HomeStore home, Path partial, FileChannel channel, long room, long counted, long mostHeld,
      String virtualPath) {
    FileChannel ch = null;
    try {
      ch = channel.isOpen() ? channel : home.openWrite(partial, false); // closed by a failed commit
      long onDisk = ch.size();
      long keep = Math.min(onDisk, room);
      if (keep == 0) {
        closeQuietly(channel);
        if (ch != channel) ch.close();
        home.deletePartial(partial);
        return new Tally(-counted, -1);
      }
      if (keep < onDisk) ch.truncate(keep);
      return new Tally(keep - counted, 0);
    } catch (Refused e) {
      if (e.code() == Refusal.NOT_FOUND) return new Tally(-counted, -1);
      return unseen(e, mostHeld, counted, virtualPath);
    } catch (IOException e) {
      return unseen(e, mostHeld, counted, virtualPath);
    } finally {
      if (ch != null && ch != channel) closeQuietly(ch);
    }
  }

  /** The partial cannot be looked at: count the most it can hold, so the quota errs on the safe side. */
  private static Tally unseen(Exception e, long mostHeld, long counted, String virtualPath) {
    log.warn("cannot settle the partial of {}: {}", LogText.of(virtualPath), LogText.of(e.toString()));
    return new Tally(mostHeld - counted, 0);
  }

  static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.toString());
    }
  }
}
