package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScramTest {
  private static final int FAST = ScramCredentials.MIN_ITERATIONS;
  private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** RFC 7677 section 3's example: user "user", password "pencil", these nonces, salt and count. */
  @Test
  void rfc7677ExampleProducesTheRfcProofAndSignature() throws Exception {
    byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    ScramCredentials creds = ScramCredentials.derive("pencil".toCharArray(), salt, 4096);
    String clientFirstBare = "n=user,r=rOprNGfwEbeRWgbNEkqO";
    String serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    String withoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] salted = ScramCredentials.saltedPassword("pencil".toCharArray(), salt, 4096);
    byte[] clientKey = ScramCredentials.hmac(salted, "Client Key");
    byte[] proof = Scram.xor(clientKey, ScramCredentials.hmac(creds.storedKey(), authMessage));
    assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Base64.getEncoder().encodeToString(proof));
    byte[] serverSignature = ScramCredentials.hmac(creds.serverKey(), authMessage);
    assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        Base64.getEncoder().encodeToString(serverSignature));
  }

  private static Optional<String> exchange(String user, String password, ScramCredentials stored,
      ScramClient[] clientOut) throws ProtocolException {
    ScramClient client = new ScramClient(user, password.toCharArray());
    clientOut[0] = client;
    ScramServer server = ScramServer.start(ScramServer.parseClientFirst(client.clientFirst()), stored);
    return server.finish(client.clientFinal(server.serverFirst()));
  }

  @Test
  void rightPasswordLogsInAndTheClientVerifiesTheServer() throws Exception {
    ScramCredentials stored = ScramCredentials.derive("s3cret".toCharArray(), SALT, FAST);
    ScramClient[] client = new ScramClient[1];
    Optional<String> serverFinal = exchange("bob", "s3cret", stored, client);
    assertTrue(serverFinal.isPresent());
    client[0].verifyServerFinal(serverFinal.get());
  }

  @Test
  void wrongPasswordIsRefused() throws Exception {
    ScramCredentials stored = ScramCredentials.derive("s3cret".toCharArray(), SALT, FAST);
    assertFalse(exchange("bob", "guess", stored, new ScramClient[1]).isPresent());
  }

  @Test
  void forgedServerSignatureIsDetectedByTheClient() throws Exception {
    ScramCredentials stored = ScramCredentials.derive("s3cret".toCharArray(), SALT, FAST);
    ScramClient[] client = new ScramClient[1];
    exchange("bob", "s3cret", stored, client);
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> client[0].verifyServerFinal("v=" + Base64.getEncoder().encodeToString(new byte[32])));
    assertEquals(ErrorCode.AUTH_FAILED, e.code());
  }

  @Test
  void replayedProofWithAnotherNonceIsRefused() throws Exception {
    ScramCredentials stored = ScramCredentials.derive("s3cret".toCharArray(), SALT, FAST);
    ScramClient client = new ScramClient("bob", "s3cret".toCharArray());
    ScramServer first = ScramServer.start(ScramServer.parseClientFirst(client.clientFirst()), stored);
    String proof = client.clientFinal(first.serverFirst());
    ScramServer second = ScramServer.start(ScramServer.parseClientFirst("n,,n=bob,r=other"), stored);
    assertThrows(ProtocolException.class, () -> second.finish(proof));
  }

  @Test
  void malformedClientFirstMessagesAreRefused() {
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("y,,n=bob,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("n,,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("n,,n=bob"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("n,,n=b=ZZob,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("n,,m=ext,n=bob,r=x"));
  }

  @Test
  void userNamesWithCommaAndEqualsAreEscapedBothWays() throws Exception {
    String escaped = Scram.escapeName("a,b=c");
    assertEquals("a=2Cb=3Dc", escaped);
    assertEquals("a,b=c", ScramServer.parseClientFirst("n,,n=" + escaped + ",r=x").user());
  }

  @Test
  void credentialsNeverPrintKeyMaterial() {
    ScramCredentials c = ScramCredentials.derive("pw".toCharArray(), SALT, FAST);
    assertFalse(c.toString().contains(c.storedKeyBase64()));
    assertEquals("ScramCredentials[iterations=4096]", c.toString());
  }
}
