package dev.selectftp.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The server's half of one SCRAM-SHA-256 exchange. Costs two HMACs and a hash; PBKDF2 never runs on the
 * server at login, which is what keeps logins cheap on the event-loop thread.
 *
 * <p><b>Channel binding</b> (RFC 5802 section 6, RFC 5929). Over TLS the server knows its connection's
 * {@code tls-server-end-point} data and accepts only the gs2 header {@code p=tls-server-end-point,,} with a
 * {@code c=} of exactly base64(header + that data); over plain text it accepts {@code n,,} and {@code y,,}
 * and refuses {@code p=}. A header or binding that does not fit the connection is not reported on its
 * own: the exchange goes on, and {@link #finish} answers it as it answers a wrong password, so a relay
 * learns nothing a wrong guess would not tell it, and an unknown user still looks like a known one.
 */
public final class ScramServer {
  private final String clientFirstBare;
  private final String serverFirst;
  private final String nonce;
  private final ScramCredentials credentials;
  /** The {@code c=} this connection requires, or null when the client's gs2 header does not fit it. */
  private final String expectedChannelBinding;

  private ScramServer(ClientFirst first, String nonce, ScramCredentials credentials) {
    this.clientFirstBare = first.bare();
    this.expectedChannelBinding = first.channelBinding();
    this.nonce = nonce;
    this.credentials = credentials;
    this.serverFirst = "r=" + nonce + ",s=" + credentials.saltBase64() + ",i=" + credentials.iterations();
  }

  /**
   * The user name and client nonce of a client-first-message, its bare part, and the {@code c=} value
   * ({@code channelBinding}) the client-final-message must carry on this connection, or null when the
   * client's gs2 header does not fit the connection (the login will fail as with a wrong password).
   */
  public record ClientFirst(String user, String nonce, String bare, String channelBinding) {}

  /** Parses a client-first-message received over plain text (no channel to bind to). */
  public static ClientFirst parseClientFirst(String message) throws ProtocolException {
    return parseClientFirst(message, null);
  }

  /**
   * Parses a client-first-message.
   *
   * @param tlsServerEndPoint the connection's binding data (RFC 5929 {@code tls-server-end-point} of the
   *     server's own certificate), or null over plain text
   * @throws ProtocolException for a malformed message, an authzid or a SCRAM extension; never for a gs2
   *     header that is well-formed but does not fit the connection (see the class comment)
   */
  public static ClientFirst parseClientFirst(String message, byte[] tlsServerEndPoint) throws ProtocolException {
    int flagEnd = message.indexOf(',');
    int headerEnd = flagEnd < 0 ? -1 : message.indexOf(',', flagEnd + 1);
    if (headerEnd < 0) throw Scram.bad("malformed gs2 header");
    String flag = message.substring(0, flagEnd);
    if (headerEnd != flagEnd + 1) throw Scram.bad("an authzid (a=) is not supported");
    boolean bindingFlag = flag.startsWith("p=") && flag.length() > 2 && flag.substring(2).chars()
        .allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-');
    if (!bindingFlag && !flag.equals("n") && !flag.equals("y")) throw Scram.bad("malformed gs2 header");
    String header = message.substring(0, headerEnd + 1);
    boolean fits = tlsServerEndPoint != null
        ? header.equals(Scram.GS2_HEADER_BOUND)
        : header.equals(Scram.GS2_HEADER) || header.equals(Scram.GS2_HEADER_NO_SERVER_SUPPORT);
    String bare = message.substring(headerEnd + 1);
    Map<Character, String> attributes = Scram.attributes(bare);
    if (attributes.containsKey('m')) throw Scram.bad("SCRAM extensions are not supported");
    String user = Scram.unescapeName(Scram.require(attributes, 'n'));
    String nonce = Scram.require(attributes, 'r');
    return new ClientFirst(user, nonce, bare, fits ? Scram.channelBinding(header, tlsServerEndPoint) : null);
  }

  /** Starts the exchange with the stored (or, for an unknown user, fabricated) credentials. */
  public static ScramServer start(ClientFirst first, ScramCredentials credentials) {
    return new ScramServer(first, first.nonce() + Scram.nonce(), credentials);
  }

  public String serverFirst() {
    return serverFirst;
  }

  /**
   * Checks the client's channel binding and proof. Returns the server-final-message ({@code v=...}) when
   * both are right, empty when either is wrong; the comparisons take the same time either way.
   *
   * @throws ProtocolException when the message is malformed or its nonce is not this exchange's
   */
  public Optional<String> finish(String clientFinal) throws ProtocolException {
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) throw Scram.bad("client-final-message has no proof");
    String withoutProof = clientFinal.substring(0, proofAt);
    Map<Character, String> attributes = Scram.attributes(withoutProof);
    byte[] binding = Scram.require(attributes, 'c').getBytes(StandardCharsets.US_ASCII);
    if (!nonce.equals(attributes.get('r'))) throw Scram.bad("nonce does not match this exchange");
    byte[] proof = Scram.decode(clientFinal.substring(proofAt + 3));
    if (proof.length != ScramCredentials.KEY_BYTES) throw Scram.bad("proof has the wrong length");

    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    byte[] storedKey = credentials.storedKey();
    byte[] clientKey = Scram.xor(proof, ScramCredentials.hmac(storedKey, authMessage));
    // Both checks always run, and the outcome of a wrong binding is the outcome of a wrong password.
    boolean bound = expectedChannelBinding != null
        & MessageDigest.isEqual(binding, String.valueOf(expectedChannelBinding).getBytes(StandardCharsets.US_ASCII));
    boolean proven = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), storedKey);
    if (!(bound & proven)) return Optional.empty();
    return Optional.of("v=" + Scram.encode(ScramCredentials.hmac(credentials.serverKey(), authMessage)));
  }
}
