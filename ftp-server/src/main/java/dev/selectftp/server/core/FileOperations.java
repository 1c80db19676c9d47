package dev.selectftp.server.core;

import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.transfer.UploadLocks;

/**
 * The commands of a logged-in user that touch no file contents, for every door: list a page, change and
 * print the folder, make a folder, delete, rename, and the quota. Each returns what happened or throws a
 * {@link Refused}; the door turns either into its own reply. Counted commands change the user's
 * {@link Quotas} totals by deltas, so the totals follow the storage without a walk. Loop-thread confined,
 * like {@link Quotas}, except {@link #listPage}.
 */
public final class FileOperations {
  private final Quotas quotas;
  private final UploadLocks uploads;

  public FileOperations(Quotas quotas, UploadLocks uploads) {
    this.quotas = quotas;
    this.uploads = uploads;
  }

  /** A renamed entry, by the virtual paths before and after. */
  public record Renamed(String from, String to) {}

  /**
   * The folder a listing of {@code path} (null: the current folder) reads; checks only its form, so a
   * malformed path is refused on the loop before any work is handed over.
   *
   * @throws Refused BAD_PATH
   */
  public String listTarget(String cwd, String path) throws Refused {
    return VirtualPath.resolve(cwd, path == null ? "." : path);
  }

  /**
   * Blocking, reads a whole folder: one page of the listing of {@code folder} (from {@link #listTarget})
   * after the cursor {@code after} (null for the first), as big as the door's {@code size}. Helper threads
   * only.
   *
   * @throws Refused as {@link HomeStore#list}
   */
  public Listing listPage(HomeStore home, String cwd, String folder, String after, PageSize size)
      throws Refused {
    return home.list(cwd, folder, after, size);
  }

  /**
   * The new current folder.
   *
   * @throws Refused as {@link HomeStore#changeDir}
   */
  public String changeDir(HomeStore home, String cwd, String path) throws Refused {
    return home.changeDir(cwd, path);
  }

  /**
   * Creates one folder, counted as an entry before it exists.
   *
   * @return the virtual path made
   * @throws Refused QUOTA_EXCEEDED when the user holds the most entries allowed, or as {@link HomeStore#makeDir}
   */
  public String makeDir(String user, HomeStore home, String cwd, String path) throws Refused {
    String made = VirtualPath.resolve(cwd, path);
    quotas.claimEntry(user);
    try {
      home.makeDir(cwd, path);
    } catch (Refused | RuntimeException e) {
      quotas.apply(user, new Tally(0, -1)); // nothing was created
      throw e;
    }
    return made;
  }

  /**
   * Deletes one file or empty folder and takes it off the user's totals.
   *
   * @return the virtual path deleted
   * @throws Refused BUSY while an upload writes at or under it, or as {@link HomeStore#delete}
   */
  public String delete(String user, HomeStore home, String cwd, String path) throws Refused {
    String target = VirtualPath.resolve(cwd, path);
    refuseWhileUploading(home, target);
    long freed = home.delete(cwd, path);
    quotas.apply(user, new Tally(-freed, -1));
    return target;
  }

  /**
   * Renames or moves within the home; the totals do not change.
   *
   * @throws Refused BUSY while an upload writes at or under either name, or as {@link HomeStore#rename}
   */
  public Renamed rename(HomeStore home, String cwd, String from, String to) throws Refused {
    String vFrom = VirtualPath.resolve(cwd, from);
    String vTo = VirtualPath.resolve(cwd, to);
    refuseWhileUploading(home, vFrom);
    refuseWhileUploading(home, vTo);
    home.rename(cwd, from, to);
    return new Renamed(vFrom, vTo);
  }

  /**
   * What the user holds and may hold.
   *
   * @throws Refused BUSY while the user's files are still being counted
   */
  public Quotas.Usage quota(String user) throws Refused {
    return quotas.usage(user);
  }

  /**
   * A name (or a folder holding a name) that a session is uploading to may not be deleted or renamed until
   * that upload ends: its commit publishes the partial over the name on a helper thread, and a delete or
   * rename racing it would leave the quota counting bytes that are gone (or missing bytes that are there).
   */
  private void refuseWhileUploading(HomeStore home, String virtualPath) throws Refused {
    if (uploads.isLockedAtOrUnder(home.toReal(virtualPath))) {
      throw new Refused(Refusal.BUSY, virtualPath + " is being uploaded by a session right now");
    }
  }
}
