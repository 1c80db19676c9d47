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
  /** What the fake returns: a fixed value, so the exit code says only that it ran and its code came back. */
  private static final int FAKE_EXIT = 42;

  @Command(name = "bench")
  static final class FakeBench implements Callable<Integer> {
    @Parameters List<String> args = new ArrayList<>();
    int calls;

    @Override
    public Integer call() {
      calls++;
      return FAKE_EXIT;
    }
  }

  /**
   * The subcommand runs once, receives exactly its own words in order, its exit code is the program's, and
   * the options typed before it still reach the top-level command (the shared {@code -s HOST}).
   */
  @Test
  void subcommandAddedToTheCommandLineGetsItsNameAndArguments() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cl = Main.commandLine(null, new PrintStream(err, true));
    FakeBench bench = new FakeBench();
    cl.addSubcommand("bench", bench);
    assertEquals(FAKE_EXIT, cl.execute("-s", "example.org", "-P", "2999", "bench", "clients", "10"), err::toString);
    assertEquals(1, bench.calls, "the subcommand ran once");
    assertEquals(List.of("clients", "10"), bench.args, "its own words, in order, and nothing else");
    Main main = cl.getCommand();
    assertEquals("example.org", main.server.host(), "the options before the subcommand are kept");
    assertEquals(2999, main.server.port());
    assertEquals("", err.toString(), "nothing on stderr");
  }
}
