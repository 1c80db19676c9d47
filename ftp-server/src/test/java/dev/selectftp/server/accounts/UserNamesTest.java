package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UserNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"xiaoyu", "Bob", "a", "_x", "9lives", "a.b-c_d", "abcdefghijklmnopqrstuvwxyz012345"})
  void acceptsNamesFromTheAllowedAlphabet(String name) {
    assertDoesNotThrow(() -> UserNames.check(name));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"abcdefghijklmnopqrstuvwxyz0123456", "../x", "a/b", ".hidden", "-x", "é", "a b", "a\\b",
      "..", "a\u0000b", "x:y"})
  void refusesBadNamesWithBadUserName(String name) {
    Refused e = assertThrows(Refused.class, () -> UserNames.check(name));
    assertEquals(Refusal.BAD_USER_NAME, e.code());
    assertFalse(UserNames.isValid(name));
  }

  @Test
  void namesThatDifferOnlyInCaseFoldToTheSameKey() {
    assertEquals(UserNames.foldCase("Bob"), UserNames.foldCase("bOB"));
    assertNotEquals(UserNames.foldCase("Bob"), UserNames.foldCase("Bob2"));
  }
}
