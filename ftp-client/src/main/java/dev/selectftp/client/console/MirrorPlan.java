package dev.selectftp.client.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a mirror does, decided from the two trees before anything changes: the target's missing folders,
 * the files to copy (missing on the target, or different there), how many are skipped because they are the
 * same, the names whose kind differs (a file on one side, a folder on the other: failures), and with
 * {@code --delete} the target's names the source lacks. A file is the same when its size is equal on both
 * sides and so is its SHA-256 ({@link Sameness}); sizes alone never decide that two files are equal.
 *
 * @param folders target folders to make, parents first
 * @param deletions target names to delete, children before their folders
 */
record MirrorPlan(List<String> folders, List<Copy> copies, int skipped, List<String> conflicts,
    List<String> deletions) {
  /** A file to copy, by relative path; {@code fresh} when the target lacks it. */
  record Copy(String path, long size, boolean fresh) {}

  /** Whether the file at a relative path, of equal size on both sides, has the same bytes on both. */
  interface Sameness {
    boolean same(String path) throws IOException;
  }

  /** Compares {@code source} with {@code target}; {@code same} is asked only for files of equal size. */
  static MirrorPlan of(SortedMap<String, TreeEntry> source, SortedMap<String, TreeEntry> target, boolean delete,
      Sameness same) throws IOException {
    List<String> folders = new ArrayList<>();
    List<Copy> copies = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    int skipped = 0;
    for (Map.Entry<String, TreeEntry> e : source.entrySet()) {
      String path = e.getKey();
      TreeEntry from = e.getValue();
      TreeEntry to = target.get(path);
      if (to != null && to.dir() != from.dir()) {
        conflicts.add(path + " is a " + kind(from) + " on the source side but a " + kind(to)
            + " on the target side");
      } else if (from.dir()) {
        if (to == null) folders.add(path);
      } else if (to == null) {
        copies.add(new Copy(path, from.size(), true));
      } else if (to.size() != from.size() || !same.same(path)) {
        copies.add(new Copy(path, from.size(), false));
      } else {
        skipped++;
      }
    }
    List<String> deletions = new ArrayList<>();
    if (delete) {
      // Reversed, the name order puts "a/b" before "a": a folder is emptied before it is deleted.
      for (String path : target.keySet()) {
        if (!source.containsKey(path)) deletions.add(path);
      }
      Collections.reverse(deletions);
    }
    return new MirrorPlan(List.copyOf(folders), List.copyOf(copies), skipped, List.copyOf(conflicts),
        List.copyOf(deletions));
  }

  /** Bytes the copies move. */
  long bytes() {
    long sum = 0;
    for (Copy copy : copies) sum += copy.size();
    return sum;
  }

  private static String kind(TreeEntry entry) {
    return entry.dir() ? "folder" : "file";
  }
}
