package dev.selectftp.client.console;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How many arguments a command takes, which flags, and how to say so. A command with flags reads each word
 * that is one of them as a flag, and refuses any other word starting with {@code --}; a command without
 * flags takes every word as an argument (so {@code rm --odd-name} deletes that name).
 */
record CommandSpec(int min, int max, String usage, Set<String> flags) {
  /** No flags. */
  CommandSpec(int min, int max, String usage) {
    this(min, max, usage, Set.of());
  }

  /** A command's words split by this spec: its arguments in order and the flags given. */
  record Parsed(List<String> args, Set<String> flags) {
    String arg(int index) {
      return index < args.size() ? args.get(index) : null;
    }

    boolean has(String flag) {
      return flags.contains(flag);
    }

    /** The answer {@code --overwrite}, {@code --resume} or {@code --skip} gives, or null. */
    Existing existing() {
      for (String flag : flags) {
        if (Existing.ofFlag(flag) != null) return Existing.ofFlag(flag);
      }
      return null;
    }
  }

  /**
   * Splits {@code words} (the command's name first) into arguments and flags and checks their numbers.
   *
   * @throws UsageException naming the usage
   */
  Parsed parse(List<String> words) throws UsageException {
    List<String> args = new ArrayList<>();
    Set<String> given = new LinkedHashSet<>();
    int answers = 0;
    for (String word : words.subList(1, words.size())) {
      if (flags.isEmpty() || !word.startsWith("-")) {
        args.add(word);
      } else if (flags.contains(word)) {
        given.add(word);
        if (Existing.ofFlag(word) != null) answers++;
      } else if (word.startsWith("--")) {
        throw new UsageException("unknown option " + word + "; usage: " + usage);
      } else {
        args.add(word); // a name starting with '-'
      }
    }
    if (answers > 1) throw new UsageException("give only one of --overwrite, --resume, --skip");
    if (args.size() < min || args.size() > max) throw new UsageException("usage: " + usage);
    return new Parsed(List.copyOf(args), Set.copyOf(given));
  }
}
