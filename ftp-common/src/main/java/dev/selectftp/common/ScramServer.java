package dev.selectftp.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The server's half of one SCRAM-SHA-256 exchange. Costs two HMACs and a hash; PBKDF2 never runs on the
 * server at login, which is what keeps logins cheap on the event-loop thread.
 */
public final class ScramServer {
  private final String clientFirstBare;
  private final String serverFirst;
  private final String nonce;
  private final ScramCredentials credentials;

  private ScramServer(String clientFirstBare, String nonce, ScramCredentials credentials) {
    this.clientFirstBare = clientFirstBare;
    this.nonce = nonce;
    this.credentials = credentials;
    this.serverFirst = "r=" + nonce + ",s=" + credentials.saltBase64() + ",i=" + credentials.iterations();
  }

  /** The user name and client nonce of a client-first-message. */
  public record ClientFirst(String user, String nonce, String bare) {}

  public static ClientFirst parseClientFirst(String message) throws ProtocolException {
    if (!message.startsWith(Scram.GS2_HEADER)) {
      throw Scram.bad("only gs2 header \"n,,\" is supported (no channel binding, no authzid)");
    }
    String bare = message.substring(Scram.GS2_HEADER.length());
    Map<Character, String> attributes = Scram.attributes(bare);
    if (attributes.containsKey('m')) throw Scram.bad("SCRAM extensions are not supported");
    String user = Scram.unescapeName(Scram.require(attributes, 'n'));
    String nonce = Scram.require(attributes, 'r');
    return new ClientFirst(user, nonce, bare);
  }

  /** Starts the exchange with the stored (or, for an unknown user, fabricated) credentials. */
  public static ScramServer start(ClientFirst first, ScramCredentials credentials) {
    return new ScramServer(first.bare(), first.nonce() + Scram.nonce(), credentials);
  }

  public String serverFirst() {
    return serverFirst;
  }

  /**
   * Checks the client's proof. Returns the server-final-message ({@code v=...}) when it is right, empty
   * when it is wrong; the comparison takes the same time either way.
   *
   * @throws ProtocolException when the message is malformed or its nonce is not this exchange's
   */
  public Optional<String> finish(String clientFinal) throws ProtocolException {
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) throw Scram.bad("client-final-message has no proof");
    String withoutProof = clientFinal.substring(0, proofAt);
    Map<Character, String> attributes = Scram.attributes(withoutProof);
    if (!Scram.CHANNEL_BINDING.equals(attributes.get('c'))) throw Scram.bad("channel binding must be \"biws\"");
    if (!nonce.equals(attributes.get('r'))) throw Scram.bad("nonce does not match this exchange");
    byte[] proof = Scram.decode(clientFinal.substring(proofAt + 3));
    if (proof.length != ScramCredentials.KEY_BYTES) throw Scram.bad("proof has the wrong length");

    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    byte[] storedKey = credentials.storedKey();
    byte[] clientKey = Scram.xor(proof, ScramCredentials.hmac(storedKey, authMessage));
    if (!MessageDigest.isEqual(ScramCredentials.sha256(clientKey), storedKey)) return Optional.empty();
    return Optional.of("v=" + Scram.encode(ScramCredentials.hmac(credentials.serverKey(), authMessage)));
  }
}
