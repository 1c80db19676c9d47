package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SCRAM's edges: fresh nonces, first logins, credential bounds and equality, gs2 binding names. */
class ScramEdgesTest {
  private static final int FAST = ScramCredentials.MIN_ITERATIONS;
  private static final byte[] KEY = new byte[ScramCredentials.KEY_BYTES];

  private static byte[] randomSalt() {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    return salt;
  }

  @Test
  void nonceIsFreshEachTime() {
    String a = Scram.nonce();
    String b = Scram.nonce();
    assertNotEquals(a, b);
    assertEquals(a.length(), b.length());
  }

  @Test
  void aFirstLoginWithASaltNeverSeenBeforeSucceedsForALongUserName() throws Exception {
    String user = "a-rather-long-user-name-of-forty-chars-x";
    byte[] salt = randomSalt(); // never in the client's cache of salted passwords
    ScramCredentials stored = ScramCredentials.derive("pw".toCharArray(), salt, FAST);
    ScramClient client = new ScramClient(user, "pw".toCharArray());
    ScramServer server = ScramServer.start(ScramServer.parseClientFirst(client.clientFirst()), stored);
    Optional<String> serverFinal = server.finish(client.clientFinal(server.serverFirst()));
    assertTrue(serverFinal.isPresent());
    client.verifyServerFinal(serverFinal.get());
  }

  @Test
  void saltsFromHalfToFourTimesTheDefaultLengthAreAccepted() {
    assertDoesNotThrow(() -> new ScramCredentials(new byte[ScramCredentials.SALT_BYTES / 2], 1, KEY, KEY));
    assertDoesNotThrow(() -> new ScramCredentials(new byte[64], 1, KEY, KEY));
    assertThrows(IllegalArgumentException.class,
        () -> new ScramCredentials(new byte[ScramCredentials.SALT_BYTES / 2 - 1], 1, KEY, KEY));
    assertThrows(IllegalArgumentException.class, () -> new ScramCredentials(new byte[65], 1, KEY, KEY));
    assertThrows(IllegalArgumentException.class, () -> new ScramCredentials(new byte[16], 0, KEY, KEY));
  }

  @Test
  void credentialsAreEqualExactlyWhenEveryFieldIsAndEqualOnesHashAlike() {
    byte[] salt = randomSalt();
    byte[] other = KEY.clone();
    other[0] = 1;
    ScramCredentials a = new ScramCredentials(salt, 5, KEY, KEY);
    ScramCredentials same = new ScramCredentials(salt.clone(), 5, KEY.clone(), KEY.clone());
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertNotEquals(a, new ScramCredentials(randomSalt(), 5, KEY, KEY));
    assertNotEquals(a, new ScramCredentials(salt, 6, KEY, KEY));
    assertNotEquals(a, new ScramCredentials(salt, 5, other, KEY));
    assertNotEquals(a, new ScramCredentials(salt, 5, KEY, other));
    assertNotEquals(a, "not credentials");
    assertNotEquals(new ScramCredentials(salt, 5, KEY, KEY).hashCode(),
        new ScramCredentials(salt, 6, KEY, KEY).hashCode());
  }

  @Test
  void theStoredSaltAndServerKeyReadBackAsGiven() {
    byte[] salt = randomSalt();
    byte[] serverKey = KEY.clone();
    serverKey[31] = 7;
    ScramCredentials c = new ScramCredentials(salt, 5, KEY, serverKey);
    assertEquals(Base64.getEncoder().encodeToString(salt), Base64.getEncoder().encodeToString(c.salt()));
    assertEquals(Base64.getEncoder().encodeToString(serverKey), c.serverKeyBase64());
  }

  @Test
  void aBindingNameOfLettersDigitsDotsAndDashesIsWellFormedButDoesNotBind() throws Exception {
    ScramServer.ClientFirst first = ScramServer.parseClientFirst("p=azAZ09.-,,n=bob,r=abc", null);
    assertEquals("bob", first.user());
    assertNull(first.channelBinding());
  }

  @Test
  void aBindingNameWithAnyOtherCharacterIsMalformed() {
    for (String name : new String[] {"`", "{", "@", "[", "/", ":", "_", ""}) {
      assertThrows(ProtocolException.class,
          () -> ScramServer.parseClientFirst("p=" + name + ",,n=bob,r=abc", null), name);
    }
  }
}
