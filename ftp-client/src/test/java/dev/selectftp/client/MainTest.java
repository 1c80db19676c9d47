package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The command line stays open to tools added later, such as a {@code bench} subcommand. */
class MainTest {
  @Command(name = "bench")
  static final class FakeBench implements Callable<Integer> {
    @Parameters List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      return 42 + args.size();
    }
  }

  @Test
  void subcommandAddedToTheCommandLineGetsItsNameAndArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = Main.commandLine(null, new PrintStream(err, true));
    cl.addSubcommand("bench", new FakeBench());
    assertEquals(44, cl.execute("-s", "example.org", "bench", "clients", "10"), err::toString);
  }
}
