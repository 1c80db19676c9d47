package dev.selectftp.server.core;

import dev.selectftp.server.loop.Background.Result;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.transfer.UploadLocks;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The commands of a logged-in user that touch no file contents, for every door: list a page, change and
 * print the folder, make a folder, delete, rename, look at one path, and the quota. Each answers what
 * happened or a {@link Refused}; the door turns either into its own reply. Counted commands change the
 * user's {@link Quotas} totals by deltas, so the totals follow the storage without a walk.
 *
 * <p><b>Threads.</b> Called on the loop. Every store call may be a network round trip ({@code HomeStore}),
 * so each command runs its store call through {@code store} (helper threads in the server) and hands its
 * outcome to {@code done} where results go (the loop); the quota and the upload locks are touched on the
 * loop only, before and after. A refusal found before any store call (a malformed path, a full quota, a
 * name being uploaded) reaches {@code done} at once, inside the call. {@link #listPage} is the blocking
 * exception, run by the door on its listing pool.
 */
public final class FileOperations {
  private final Quotas quotas;
  private final UploadLocks uploads;
  private final Offload store;

  /** @param store where store calls run: the server's store pool, or {@link Offload#INLINE} off the loop */
  public FileOperations(Quotas quotas, UploadLocks uploads, Offload store) {
    this.quotas = quotas;
    this.uploads = uploads;
    this.store = store;
  }

  /** A renamed entry, by the virtual paths before and after. */
  public record Renamed(String from, String to) {}

  /** What a delete accepts: FTP's RMD only folders and DELE only files, SelectFTP's delete either. */
  public enum Kind { ANY, FILE, FOLDER }

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

  /** What is at {@code path} (missing is not a refusal), or a refusal as {@link HomeStore#stat}. */
  public void stat(HomeStore home, String cwd, String path, Result<FileInfo> done) {
    String target;
    try {
      target = VirtualPath.resolve(cwd, path);
    } catch (Refused refused) {
      done.accept(null, refused);
      return;
    }
    store.run(() -> home.stat(target), done);
  }

  /** The new current folder, or a refusal as {@link HomeStore#changeDir}. */
  public void changeDir(HomeStore home, String cwd, String path, Result<String> done) {
    store.run(() -> home.changeDir(cwd, path), done);
  }

  /**
   * Creates one folder, counted as an entry before it exists; answers the virtual path made, or
   * QUOTA_EXCEEDED when the user holds the most entries allowed, or a refusal as {@link HomeStore#makeDir}.
   */
  public void makeDir(String user, HomeStore home, String cwd, String path, Result<String> done) {
    String made;
    try {
      made = VirtualPath.resolve(cwd, path);
      quotas.claimEntry(user);
    } catch (Refused refused) {
      done.accept(null, refused);
      return;
    }
    store.run(() -> {
      home.makeDir(cwd, path);
      return made;
    }, (value, failure) -> {
      if (failure != null) quotas.apply(user, new Tally(0, -1)); // nothing was created
      done.accept(value, failure);
    });
  }

  /**
   * Deletes one file or empty folder of the {@code kind} asked for and takes it off the user's totals;
   * answers the virtual path deleted, or BUSY while an upload writes at or under it, NOT_FOUND,
   * IS_A_DIRECTORY or NOT_A_DIRECTORY for the wrong kind, or a refusal as {@link HomeStore#delete}.
   */
  public void delete(String user, HomeStore home, String cwd, String path, Kind kind, Result<String> done) {
    String target;
    Path real;
    try {
      target = VirtualPath.resolve(cwd, path);
      real = refuseWhileUploading(home, target);
    } catch (Refused refused) {
      done.accept(null, refused);
      return;
    }
    uploads.holdForChange(real);
    whenNotUploadedElsewhere(user, List.of(target), refused -> {
      uploads.releaseChange(real);
      done.accept(null, refused);
    }, () -> store.run(() -> {
      if (kind != Kind.ANY) checkKind(home.stat(target), kind);
      return home.delete(cwd, path);
    }, (freed, failure) -> {
      uploads.releaseChange(real);
      if (failure == null) quotas.apply(user, new Tally(-freed, -1));
      done.accept(failure == null ? target : null, failure);
    }));
  }

  /**
   * Renames or moves within the home; the totals do not change. Answers the names, or BUSY while an upload
   * writes at or under either, or a refusal as {@link HomeStore#rename}.
   */
  public void rename(String user, HomeStore home, String cwd, String from, String to, Result<Renamed> done) {
    Renamed names;
    Path realFrom;
    Path realTo;
    try {
      names = new Renamed(VirtualPath.resolve(cwd, from), VirtualPath.resolve(cwd, to));
      realFrom = refuseWhileUploading(home, names.from());
      realTo = refuseWhileUploading(home, names.to());
    } catch (Refused refused) {
      done.accept(null, refused);
      return;
    }
    uploads.holdForChange(realFrom);
    uploads.holdForChange(realTo);
    whenNotUploadedElsewhere(user, List.of(names.from(), names.to()).stream().distinct().toList(), refused -> {
      uploads.releaseChange(realFrom);
      uploads.releaseChange(realTo);
      done.accept(null, refused);
    }, () -> store.run(() -> {
      home.rename(cwd, from, to);
      return names;
    }, (value, failure) -> {
      uploads.releaseChange(realFrom);
      uploads.releaseChange(realTo);
      done.accept(value, failure);
    }));
  }

  /**
   * What the user holds and may hold.
   *
   * @throws Refused BUSY while the user's files are still being counted
   */
  public Quotas.Usage quota(String user) throws Refused {
    return quotas.usage(user);
  }

  /** FTP's rule for RMD and DELE: the core deletes either kind, the door asked for one. */
  private static void checkKind(FileInfo info, Kind kind) throws Refused {
    if (!info.exists()) throw new Refused(Refusal.NOT_FOUND, "no such file or folder");
    boolean folder = kind == Kind.FOLDER;
    if (info.dir() != folder) {
      throw new Refused(folder ? Refusal.NOT_A_DIRECTORY : Refusal.IS_A_DIRECTORY,
          folder ? "not a folder; use DELE" : "a folder; use RMD");
    }
  }

  /**
   * Across nodes, after this node's own check: runs {@code then} unless another node uploads at or under one
   * of {@code paths} (the shared table asked on its own thread, one path after the other; at once on one node),
   * else hands {@code busy} the refusal. Checked, not locked: another node may still begin an upload there
   * during the store call. A table that cannot be read does not stop the change (the ledger's other writes
   * fail then too).
   */
  private void whenNotUploadedElsewhere(String user, List<String> paths, Consumer<Refused> busy, Runnable then) {
    if (paths.isEmpty()) {
      then.run();
      return;
    }
    String path = paths.get(0);
    uploads.shared().heldElsewhere(user, path, (held, failure) -> {
      if (failure == null && held) {
        busy.accept(new Refused(Refusal.BUSY, path + " is being uploaded by a session on another server"));
      } else {
        whenNotUploadedElsewhere(user, paths.subList(1, paths.size()), busy, then);
      }
    });
  }

  /**
   * A name (or a folder holding a name) that a session is uploading to may not be deleted or renamed until
   * that upload ends: its commit publishes the partial over the name on a helper thread, and a delete or
   * rename racing it would leave the quota counting bytes that are gone (or missing bytes that are there).
   * Returns the name's key ({@link HomeStore#toReal}, pure), which the change then holds.
   */
  private Path refuseWhileUploading(HomeStore home, String virtualPath) throws Refused {
    Path real = home.toReal(virtualPath);
    if (uploads.isLockedAtOrUnder(real)) {
      throw new Refused(Refusal.BUSY, virtualPath + " is being uploaded by a session right now");
    }
    return real;
  }
}
