package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ScramCredentials;
import org.junit.jupiter.api.Test;

/**
 * The users in memory as accounts come, change and go: the size, the case-folded names kept for the
 * uniqueness check, and the iteration mix that gives a made-up challenge for an unknown name the count of
 * a share of the real users.
 */
class UserTableMixTest {
  private static final int LOW = ScramCredentials.MIN_ITERATIONS;
  private static final int HIGH = 2 * LOW;

  private static User user(String name, int iterations) {
    return new User(name, new ScramCredentials(new byte[16], iterations, new byte[32], new byte[32]), 0, "1");
  }

  /** The count at each quarter of the users ordered by count. */
  private static String quarters(UserTable table) {
    UserTable.IterationMix mix = table.iterationMix();
    return mix.at(0.0) / LOW + "," + mix.at(0.25) / LOW + "," + mix.at(0.5) / LOW + "," + mix.at(0.75) / LOW
        + "," + mix.at(0.999) / LOW;
  }

  @Test
  void theMixGivesEachCountTheShareOfUsersThatHaveIt() {
    UserTable table = new UserTable();
    assertTrue(table.iterationMix().isEmpty());
    table.put(user("ann", LOW));
    table.put(user("ben", LOW));
    table.put(user("cat", LOW));
    table.put(user("dan", HIGH));
    assertEquals(4, table.size());
    assertFalse(table.iterationMix().isEmpty());
    assertEquals("1,1,1,2,2", quarters(table), "three quarters low, one quarter high");
  }

  @Test
  void aUserWhoseCountChangedMovesFromOneShareToTheOther() {
    UserTable table = new UserTable();
    table.put(user("ann", LOW));
    table.put(user("ben", LOW));
    table.put(user("ann", HIGH)); // the same user again, now with the higher count
    assertEquals(2, table.size());
    assertEquals(HIGH, table.get("ann").credentials().iterations());
    assertEquals("1,1,2,2,2", quarters(table), "one low, one high: not two low and one high");
  }

  @Test
  void aRemovedUserLeavesTheMixTheSizeAndTheFoldedNames() {
    UserTable table = new UserTable();
    table.put(user("Ann", LOW));
    table.put(user("dan", HIGH));
    assertEquals("Ann", table.nameFolding("ann"));
    assertFalse(table.remove("nobody"));
    assertFalse(table.remove("ann"), "names are exact");
    assertEquals(2, table.size());
    assertEquals("Ann", table.nameFolding("ann"));
    assertTrue(table.remove("Ann"));
    assertEquals(1, table.size());
    assertNull(table.get("Ann"));
    assertNull(table.nameFolding("ann"), "the name is free again");
    assertEquals("2,2,2,2,2", quarters(table), "only the high count is left");
    assertTrue(table.remove("dan"));
    assertTrue(table.iterationMix().isEmpty());
    assertEquals(0, table.size());
  }
}
