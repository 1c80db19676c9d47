package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.bench.Bench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server address that cannot work says so in one line: an unknown host by name, a bad port as usage. */
class AddressErrorsTest {
  /** Reserved by RFC 2606 and RFC 6761: never resolves, anywhere. */
  private static final String NO_SUCH_HOST = "nosuch.invalid";

  private static List<String> args(String... words) {
    return new ArrayList<>(List.of(words));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"one-shot", "prompt", "menus"})
  void anUnknownHostIsNamedAndExitsThree(String mode) {
    List<String> args = args("-s", NO_SUCH_HOST, "--no-tls");
    if (!mode.equals("menus")) args.addAll(List.of("-u", "xiaoyu", "-p", "123456"));
    if (mode.equals("one-shot")) args.add("ls");
    ScriptedConsole run = ScriptedConsole.exactly(args);
    assertEquals(3, run.exitCode(), run.toString());
    assertEquals("error: unknown host " + NO_SUCH_HOST + System.lineSeparator(), run.err(), run.toString());
  }

  @ParameterizedTest(name = "-P {0}")
  @ValueSource(strings = {"0", "-1", "65536", "70000", "99999999999", "ftp"})
  void aPortOutsideOneTo65535IsAUsageErrorBeforeAnyConnection(String port) {
    // -s names a host that cannot resolve: reaching the connection would exit 3, not 2.
    ScriptedConsole run = ScriptedConsole.exactly(args("-s", NO_SUCH_HOST, "-P", port, "-u", "xiaoyu", "-p", "1", "ls"));
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.err().lines().count(), run.toString());
    assertTrue(run.err().startsWith("error: "), run.toString());
    assertTrue(run.err().contains(port) && run.err().contains("(1-65535)"), run.toString());
  }

  @ParameterizedTest(name = "-P {0}")
  @ValueSource(strings = {"1", "65535"})
  void theEdgesOfThePortRangeAreAccepted(String port) {
    ScriptedConsole run = ScriptedConsole.exactly(args("-s", NO_SUCH_HOST, "-P", port, "-u", "xiaoyu", "-p", "1", "ls"));
    assertEquals(3, run.exitCode(), run.toString());
    assertEquals("error: unknown host " + NO_SUCH_HOST + System.lineSeparator(), run.err(), run.toString());
  }

  @Test
  void benchRefusesAnOutOfRangePortAsAUsageErrorToo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Bench.run(new String[] {"-s", NO_SUCH_HOST, "-P", "70000"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, printed);
    assertTrue(printed.contains("port 70000 is out of range (1-65535)"), printed);
  }
}
