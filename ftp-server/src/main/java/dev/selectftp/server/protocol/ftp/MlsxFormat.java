package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.VirtualPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * RFC 3659 machine listings (MLSD lines, MLST's entry): {@code fact=value;...; name}. The facts are type,
 * size, modify, perm and unique; a session picks some with OPTS MLST.
 *
 * <p>{@code perm} says what this user may do (RFC 3659 section 7.5.5): everything in a home is the user's,
 * so a file is {@code adfrw} (append, delete, rename, read, write) and a folder {@code cdeflmp} (create
 * files, delete, enter, rename, list, make folders, purge); the home itself cannot be deleted or renamed.
 * {@code unique} is the first 64 bits of SHA-256 over the user's name and the virtual path: stable across
 * restarts and sessions, different for two users' equal paths, and it tells nothing about the disk (no
 * inode, no real path). A rename gives a new value, as RFC 3659 allows.
 */
final class MlsxFormat {
  /** The facts, in the order they are written. */
  enum Fact {
    TYPE, SIZE, MODIFY, PERM, UNIQUE;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** RFC 3659's time-val, in UTC, to the second. */
  private static final DateTimeFormatter TIME_VAL =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String FILE_PERM = "adfrw";
  private static final String FOLDER_PERM = "cdeflmp";
  private static final String HOME_PERM = "celmp";
  /** Bytes of the SHA-256 kept for {@code unique}: 64 bits, no collision in any one home. */
  private static final int UNIQUE_BYTES = 8;

  private MlsxFormat() {}

  /** What FEAT says: every fact, those this session selected marked with a star. */
  static String feature(Set<Fact> selected) {
    StringBuilder out = new StringBuilder("MLST ");
    for (Fact f : Fact.values()) out.append(f.key()).append(selected.contains(f) ? "*;" : ";");
    return out.toString();
  }

  /** The facts OPTS MLST names ({@code type;size;}); unknown ones are ignored (RFC 3659 section 7.9). */
  static Set<Fact> select(String list) {
    Set<Fact> out = EnumSet.noneOf(Fact.class);
    for (String name : list.strip().split(";")) {
      for (Fact f : Fact.values()) {
        if (f.key().equalsIgnoreCase(name.strip())) out.add(f);
      }
    }
    return out;
  }

  /** The OPTS MLST reply's list: the selected facts, each followed by ';'. */
  static String selection(Set<Fact> selected) {
    StringBuilder out = new StringBuilder();
    for (Fact f : Fact.values()) if (selected.contains(f)) out.append(f.key()).append(';');
    return out.toString();
  }

  /**
   * One entry's facts and name, without the line end.
   *
   * @param type "file", "dir", or for MLSD's line about the listed folder itself "cdir"
   * @param virtualPath the entry's full virtual path, for {@code unique} and {@code perm}
   * @param shown what follows the facts: the name in MLSD, the path in MLST
   */
  static String entry(Set<Fact> selected, String user, String type, String virtualPath, Entry e, String shown) {
    StringBuilder out = new StringBuilder(96 + shown.length());
    for (Fact f : Fact.values()) {
      if (!selected.contains(f)) continue;
      switch (f) {
        case TYPE -> out.append("type=").append(type);
        case SIZE -> {
          if (e.dir()) continue; // a folder has no size of its own
          out.append("size=").append(e.size());
        }
        case MODIFY -> out.append("modify=").append(TIME_VAL.format(Instant.ofEpochMilli(e.modifiedMillis())));
        case PERM -> out.append("perm=").append(!e.dir() ? FILE_PERM
            : VirtualPath.ROOT.equals(virtualPath) ? HOME_PERM : FOLDER_PERM);
        case UNIQUE -> out.append("unique=").append(unique(user, virtualPath));
      }
      out.append(';');
    }
    return out.append(' ').append(shown).toString();
  }

  static String unique(String user, String virtualPath) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] d = sha.digest(virtualPath.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, UNIQUE_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
