package dev.selectftp.server.transfer;

import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Tally;
import java.nio.file.Path;

/**
 * What publishing an upload's synced partial did: the file now under the real name and the file it replaced,
 * as stat'ed before the atomic rename (a rename keeps inode, size and time; a stat of the real name afterwards
 * could already see another session's delete or replacement).
 *
 * @param stored the published file
 * @param replacedSize the size of the file it replaced, 0 if none
 * @param replacedFile true when a file was replaced (its entry goes)
 */
record Publication(FileInfo stored, long replacedSize, boolean replacedFile) {

  /** Blocking: publishes the synced {@code partial} under {@code real} atomically ({@link HomeStore#publishPartial}). */
  static Publication publishBlocking(HomeStore home, Path partial, Path real) throws Refused {
    FileInfo written = home.statReal(partial);
    FileInfo replaced = home.statReal(real); // by descriptor, like every access to a home
    boolean replacedFile = replaced.exists() && !replaced.dir();
    home.publishPartial(partial, real);
    FileInfo stored = new FileInfo(real, true, false, written.size(), written.modifiedMillis(), written.fileKey());
    return new Publication(stored, replacedFile ? replaced.size() : 0, replacedFile);
  }

  /** The change to the user's totals, given the bytes of the partial they already counted. */
  Tally change(long counted) {
    return new Tally(stored.size() - counted - replacedSize, replacedFile ? -1 : 0);
  }
}
