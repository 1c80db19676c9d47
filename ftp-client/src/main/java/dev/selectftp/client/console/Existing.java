package dev.selectftp.client.console;

import dev.selectftp.client.PutMode;
import java.util.Locale;

/**
 * The answer to "REMOTE exists on the server" (put) or "LOCAL exists here" (get): from a flag, a question,
 * or none (one-shot: an error).
 */
enum Existing {
  OVERWRITE(PutMode.RESTART), RESUME(PutMode.RESUME), SKIP(null);

  /** What an upload does with this answer; null for {@link #SKIP}. */
  final PutMode mode;

  Existing(PutMode mode) {
    this.mode = mode;
  }

  /** {@code --overwrite}, {@code --resume} or {@code --skip}. */
  String flag() {
    return "--" + name().toLowerCase(Locale.ROOT);
  }

  /** The answer a flag such as {@code --overwrite} gives, or null when {@code word} is none of them. */
  static Existing ofFlag(String word) {
    for (Existing e : values()) {
      if (e.flag().equals(word)) return e;
    }
    return null;
  }
}
