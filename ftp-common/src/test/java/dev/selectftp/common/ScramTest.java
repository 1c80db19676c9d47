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
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("x,,n=bob,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("n,a=admin,n=bob,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("p=,,n=bob,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("p=a b,,n=bob,r=x"));
    assertThrows(ProtocolException.class, () -> ScramServer.parseClientFirst("n,n=bob,r=x"));
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

  // Channel binding (SCRAM-SHA-256-PLUS, tls-server-end-point).

  private static final byte[] SERVER_CERT_HASH = ScramCredentials.sha256(new byte[] {1, 2, 3});
  private static final byte[] RELAY_CERT_HASH = ScramCredentials.sha256(new byte[] {4, 5, 6});

  /** One exchange where the client binds to {@code clientSees} and the server holds {@code serverHas}. */
  private static Optional<String> boundExchange(byte[] clientSees, byte[] serverHas,
      java.util.function.UnaryOperator<String> relayFirst, java.util.function.UnaryOperator<String> relayFinal)
      throws ProtocolException {
    ScramCredentials stored = ScramCredentials.derive("s3cret".toCharArray(), SALT, FAST);
    ScramClient client = new ScramClient("bob", "s3cret".toCharArray(), clientSees);
    ScramServer server = ScramServer.start(
        ScramServer.parseClientFirst(relayFirst.apply(client.clientFirst()), serverHas), stored);
    Optional<String> serverFinal = server.finish(relayFinal.apply(client.clientFinal(server.serverFirst())));
    if (serverFinal.isPresent()) client.verifyServerFinal(serverFinal.get());
    return serverFinal;
  }

  @Test
  void anUnboundClientSendsTheRfcHeaderAndBiws() throws Exception {
    ScramClient client = new ScramClient("user", "pencil".toCharArray());
    assertTrue(client.clientFirst().startsWith("n,,n=user,r="));
    String serverFirst = "r=" + client.clientFirst().substring("n,,n=user,r=".length()) + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    assertTrue(client.clientFinal(serverFirst).startsWith("c=biws,r="));
  }

  @Test
  void aBoundClientSendsTheTlsServerEndPointHeaderAndItsCertificateHash() throws Exception {
    ScramClient client = new ScramClient("bob", "s3cret".toCharArray(), SERVER_CERT_HASH);
    assertTrue(client.clientFirst().startsWith("p=tls-server-end-point,,n=bob,r="));
    String nonce = client.clientFirst().substring("p=tls-server-end-point,,n=bob,r=".length());
    String clientFinal = client.clientFinal("r=" + nonce + "x,s=" + Base64.getEncoder().encodeToString(SALT) + ",i=" + FAST);
    byte[] c = Base64.getDecoder().decode(clientFinal.substring(2, clientFinal.indexOf(',')));
    byte[] header = "p=tls-server-end-point,,".getBytes(StandardCharsets.US_ASCII);
    assertEquals(new String(header, StandardCharsets.US_ASCII), new String(c, 0, header.length, StandardCharsets.US_ASCII));
    assertEquals(Base64.getEncoder().encodeToString(SERVER_CERT_HASH),
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(c, header.length, c.length)));
  }

  @Test
  void aBoundLoginSucceedsWhenBothEndsSeeTheSameCertificate() throws Exception {
    assertTrue(boundExchange(SERVER_CERT_HASH, SERVER_CERT_HASH, m -> m, m -> m).isPresent());
  }

  @Test
  void aBoundLoginFailsWhenTheClientSawAnotherCertificate() throws Exception {
    assertFalse(boundExchange(RELAY_CERT_HASH, SERVER_CERT_HASH, m -> m, m -> m).isPresent());
  }

  @Test
  void aRelayThatRewritesTheHeaderToUnboundFailsOverTls() throws Exception {
    assertFalse(boundExchange(RELAY_CERT_HASH, SERVER_CERT_HASH,
        m -> m.replace("p=tls-server-end-point,,", "n,,"), m -> m).isPresent());
  }

  @Test
  void aRelayThatStripsTlsTowardTheServerAndRewritesTheHeaderFails() throws Exception {
    assertFalse(boundExchange(RELAY_CERT_HASH, null,
        m -> m.replace("p=tls-server-end-point,,", "n,,"), m -> m).isPresent());
    // Rewriting c= to the unbound value as well breaks the proof, which covers c=.
    assertFalse(boundExchange(RELAY_CERT_HASH, null,
        m -> m.replace("p=tls-server-end-point,,", "n,,"), m -> m.replaceFirst("^c=[^,]*", "c=biws")).isPresent());
  }

  @Test
  void overTlsAnUnboundClientIsRefusedLikeAWrongPassword() throws Exception {
    assertFalse(boundExchange(null, SERVER_CERT_HASH, m -> m, m -> m).isPresent());
  }

  @Test
  void overPlainTextABoundHeaderIsRefused() throws Exception {
    assertFalse(boundExchange(SERVER_CERT_HASH, null, m -> m, m -> m).isPresent());
  }

  /** A hand-made client that sends {@code gs2Header} and the {@code c=} it implies, with the right password. */
  private static Optional<String> exchangeWithHeader(String gs2Header, byte[] serverHas) throws ProtocolException {
    ScramCredentials stored = ScramCredentials.derive("s3cret".toCharArray(), SALT, FAST);
    String bare = "n=bob,r=abc";
    ScramServer server = ScramServer.start(ScramServer.parseClientFirst(gs2Header + bare, serverHas), stored);
    String withoutProof = "c=" + Scram.channelBinding(gs2Header, null) + ",r="
        + Scram.attributes(server.serverFirst()).get('r');
    byte[] authMessage = (bare + "," + server.serverFirst() + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
    byte[] clientKey = ScramCredentials.hmac(ScramCredentials.saltedPassword("s3cret".toCharArray(), SALT, FAST),
        "Client Key");
    byte[] proof = Scram.xor(clientKey, ScramCredentials.hmac(stored.storedKey(), authMessage));
    return server.finish(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
  }

  @Test
  void overPlainTextTheHeadersNAndYAreAcceptedAndOverTlsRefused() throws Exception {
    assertTrue(exchangeWithHeader("n,,", null).isPresent());
    assertTrue(exchangeWithHeader("y,,", null).isPresent());
    assertFalse(exchangeWithHeader("n,,", SERVER_CERT_HASH).isPresent());
    assertFalse(exchangeWithHeader("y,,", SERVER_CERT_HASH).isPresent());
  }

  @Test
  void anotherBindingTypeIsRefusedLikeAWrongPassword() throws Exception {
    assertFalse(boundExchange(SERVER_CERT_HASH, SERVER_CERT_HASH,
        m -> m.replace("tls-server-end-point", "tls-unique"), m -> m).isPresent());
  }
}
