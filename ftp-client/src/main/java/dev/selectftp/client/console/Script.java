package dev.selectftp.client.console;

import java.io.IOException;
import java.io.PrintStream;
import dev.selectftp.common.LogText;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands run in order over one login, as {@code lftp -c} and {@code sftp -b} do: {@code -c "cmd; cmd"},
 * {@code -f FILE} and commands piped into the prompt. The first command that fails ends the run with its
 * exit status ({@link Errors#exitCode}) and one {@code error:} line on stderr that names it and where it
 * stood; {@code quit} or {@code exit} ends it with 0. Nothing asks: a transfer onto an existing name needs
 * its flag, as in a one-shot command. Commands known in advance are all checked (spelling, arguments,
 * quotes) before the first one runs, so a typo on the last line costs nothing.
 */
final class Script {
  private static final Logger log = LoggerFactory.getLogger(Script.class);

  private final CommandSource source;
  private final PrintStream err;

  Script(CommandSource source, PrintStream err) {
    this.source = source;
    this.err = err;
  }

  /** Checks what is known in advance; throws nothing, returns the failure's exit status or {@code OK}. */
  int check(Shell shell) {
    for (CommandSource.Command command : source.known()) {
      try {
        List<String> words = Words.split(command.text());
        shell.check(words);
      } catch (UsageException e) {
        return fail(command, e, " (nothing was run)");
      }
    }
    return ExitCode.OK;
  }

  /** Runs the commands on {@code shell}'s logged-in session until the end, quit, or the first failure. */
  int run(Shell shell) {
    while (true) {
      CommandSource.Command command;
      try {
        command = source.next();
      } catch (IOException e) {
        log.warn("reading the commands failed", e);
        err.println("error: reading the commands failed: " + Errors.describe(e));
        return ExitCode.IO;
      }
      if (command == null) break;
      try {
        if (!shell.execute(Words.split(command.text()))) return ExitCode.OK; // quit, exit
      } catch (UsageException | IOException e) {
        return fail(command, e, "");
      }
    }
    shell.quitQuietly();
    return ExitCode.OK;
  }

  private int fail(CommandSource.Command command, Exception e, String note) {
    log.info("script stopped at {}: {}", LogText.of(command.where()), e.toString());
    err.println("error: " + command.text() + " (" + command.where() + "): " + Errors.describe(e) + note);
    return Errors.exitCode(e);
  }
}
