package dev.selectftp.server.storage;

import java.nio.file.Path;

/**
 * Where things live in the data folder, defined once: the homes, the staging folder beside them, and the
 * homes of removed users. Partials live next to their file ({@code files.Partials} names them).
 *
 * <pre>
 * &lt;data&gt;/home/&lt;user&gt;/...      one home per user, seen by the user as /
 * &lt;data&gt;/home/.staging/      folders being created, moved into place by descriptor
 * &lt;data&gt;/removed/&lt;user&gt;-...   homes of removed users, kept until an administrator deletes them
 * </pre>
 */
public final class HomeLayout {
  /** Folder under the data folder that holds the homes. */
  public static final String HOMES_DIR = "home";
  /** Folder under the data folder that keeps the homes of removed users. */
  public static final String REMOVED_DIR = "removed";
  /** Folder beside the homes where new folders are made; no user name starts with '.', so no home is this. */
  public static final String STAGING_DIR = ".staging";

  private HomeLayout() {}

  /** {@code <data>/home}. */
  public static Path homesDir(Path dataDir) {
    return dataDir.resolve(HOMES_DIR);
  }

  /** {@code <data>/home/<user>}, refusing any name that breaks {@link UserNames}' rule. */
  public static Path homeOf(Path dataDir, String user) {
    // Checked again here because a name becomes a folder name; the rule keeps it one plain, safe name.
    if (!UserNames.isValid(user)) throw new IllegalArgumentException("not a valid user name");
    return homesDir(dataDir).resolve(user);
  }

  /** {@code <data>/removed}. */
  public static Path removedDir(Path dataDir) {
    return dataDir.resolve(REMOVED_DIR);
  }

}
