package dev.selectftp.client.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Spells a console command as the shell line that runs it again as a one-shot, for messages such as
 * {@code to resume, run: ftp-client -P 2121 -u xiaoyu get big.iso --resume}. It repeats the options the
 * client was started with (server, port, local folder, TLS, ...) except the credentials and a script's
 * {@code -c} or {@code -f}: the user comes from the session, and the password is never printed, so the
 * command asks for it.
 */
final class Rerun {
  /** Names the program as the user started it; {@code bin/ftp-client} sets it to its own path. */
  static final String PROGRAM_PROPERTY = "selectftp.program";
  /** The program's name when nothing says how it was started. */
  static final String DEFAULT_PROGRAM = "ftp-client";
  /** Words a POSIX shell takes as they are; anything else is single-quoted. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
  /** Options left out with their value: the credentials, and the script the command came from. */
  private static final Set<String> LEFT_OUT = Set.of("-u", "--user", "-p", "--password", "-c", "--commands",
      "-f", "--file");
  private static final String END_OF_OPTIONS = "--";

  private final String program;
  private final List<String> options;

  /**
   * @param program how the user starts the client ({@code ./bin/ftp-client}, say)
   * @param typedOptions the options the client was started with, before any command word
   */
  Rerun(String program, List<String> typedOptions) {
    this.program = program;
    this.options = withoutCredentials(typedOptions);
  }

  /** With the program named by {@value #PROGRAM_PROPERTY}, or {@value #DEFAULT_PROGRAM}. */
  static Rerun of(List<String> typedOptions) {
    return new Rerun(System.getProperty(PROGRAM_PROPERTY, DEFAULT_PROGRAM), typedOptions);
  }

  /** For a shell started without a command line: the program, the user and the command. */
  static Rerun none() {
    return of(List.of());
  }

  /** The shell line that runs {@code words} as {@code user} (null: none), each word quoted as needed. */
  String command(String user, List<String> words) {
    List<String> all = new ArrayList<>(List.of(program));
    all.addAll(options);
    if (user != null) all.addAll(List.of("-u", user));
    all.addAll(words);
    return all.stream().map(Rerun::quote).collect(Collectors.joining(" "));
  }

  /** {@code word} as a POSIX shell reads it back: plain, or in single quotes ({@code '} as {@code '\''}). */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) return word;
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static List<String> withoutCredentials(List<String> typed) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < typed.size(); i++) {
      String word = typed.get(i);
      if (LEFT_OUT.contains(word)) {
        i++; // and its value
        continue;
      }
      boolean attached = LEFT_OUT.stream().anyMatch(option -> option.startsWith("--")
          ? word.startsWith(option + "=") // --user=NAME
          : !word.startsWith("--") && word.startsWith(option)); // -uNAME, -pSECRET, -c"ls"
      if (!attached && !word.equals(END_OF_OPTIONS)) kept.add(word);
    }
    return kept;
  }
}
