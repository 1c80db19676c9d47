package dev.selectftp.client.console;

import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Tab offers at the prompt: command names for the first word; then, by command and position, local
 * names (JLine's file-name completer, from the local folder) or remote names. Remote names come from ONE
 * listing request of the folder being typed, first page only, so a Tab costs one round trip at most.
 */
final class Completions implements Completer {
  private static final Logger log = LoggerFactory.getLogger(Completions.class);
  /** Commands that take no names at all. */
  private static final Set<String> NO_ARGS = Set.of("pwd", "quota", "stats", "help", "quit", "exit", "lpwd");

  private final Map<String, CommandSpec> specs;
  private final List<String> commands;
  private final Session session;
  private final FileNameCompleter localNames;

  /** @param localDir the local folder at the moment of the Tab ({@code lcd} moves it) */
  Completions(Map<String, CommandSpec> specs, Session session, Supplier<Path> localDir) {
    this.specs = Map.copyOf(specs);
    this.commands = specs.keySet().stream().sorted().toList();
    this.session = session;
    this.localNames = new FileNameCompleter() {
      @Override
      protected Path getUserDir() {
        return localDir.get().toAbsolutePath();
      }
    };
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0) {
      for (String command : commands) candidates.add(new Candidate(command));
      return;
    }
    String command = line.words().get(0);
    CommandSpec spec = specs.get(command);
    if (spec != null && line.word().startsWith("-") && !spec.flags().isEmpty()) {
      for (String flag : spec.flags().stream().sorted().toList()) candidates.add(new Candidate(flag));
      return;
    }
    if (NO_ARGS.contains(command) || line.word().startsWith("--")) return;
    List<String> before = line.words().subList(1, line.wordIndex());
    if (isLocal(command, before)) {
      localNames.complete(reader, line, candidates);
    } else {
      remote(line.word().substring(0, line.wordCursor()), candidates);
    }
  }

  /**
   * Whether the name being typed after the words {@code before} is a local one: put's file, get's target,
   * lcd's and lls's folder, every mput glob, mirror's target (its source with -R).
   */
  static boolean isLocal(String command, List<String> before) {
    int position = 1 + (int) before.stream().filter(w -> !w.startsWith("-")).count();
    return switch (command) {
      case "put" -> position == 1;
      case "get" -> position == 2;
      case "lcd", "lls", "mput" -> true;
      case "mirror" -> before.contains("-R") ? position == 1 : position == 2;
      default -> false;
    };
  }

  /** Adds the names in the folder of {@code typed} (its part up to the last '/'), from one listing page. */
  private void remote(String typed, List<Candidate> candidates) {
    int slash = typed.lastIndexOf('/');
    String folder = slash < 0 ? "" : typed.substring(0, slash + 1);
    List<Candidate> found = new ArrayList<>();
    try {
      session.client().listPages(folder.isEmpty() ? null : folder, page -> {
        for (Response.Entry entry : page.entries()) {
          String value = folder + entry.name() + (entry.dir() ? "/" : "");
          found.add(new Candidate(value, entry.name() + (entry.dir() ? "/" : ""), null, null, null, null,
              !entry.dir()));
        }
        return false; // one page: a Tab never walks a large folder
      });
    } catch (IOException e) {
      // A folder that does not exist or a refused listing offers nothing; the prompt goes on.
      log.debug("remote completion failed: {}", e.toString());
      return;
    }
    candidates.addAll(found);
  }
}
