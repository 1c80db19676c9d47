package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.selectftp.server.storage.UserNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's copy of the user-name rule says what the server's says, name by name. */
class UserNameRuleTest {
  private static final List<String> NAMES = List.of("xiaoyu", "a", "_", "0", "ok.name", "a-b", "A_Z.9-",
      "a".repeat(32), "a".repeat(33), "", "-dash", ".dot", "a/b", "a b", "a\\b", "..", ".", "é", "a:b",
      "x\u0000", "name\n", "UPPER", "9lives", "a..b", "a*");

  @Test
  void theClientAcceptsExactlyTheNamesTheServerAccepts() {
    for (String name : NAMES) {
      assertEquals(UserNames.isValid(name), UserNameRule.problem(name) == null, "for \"" + name + "\"");
    }
  }
}
