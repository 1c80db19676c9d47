package dev.selectftp.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's half of one SCRAM-SHA-256 exchange, or of SCRAM-SHA-256-PLUS when it is given the TLS
 * channel's {@code tls-server-end-point} binding data (RFC 5802 section 6, RFC 5929): then the gs2 header
 * is {@code p=tls-server-end-point,,} and the proof covers the hash of the certificate this client saw, so
 * a relay that shows it another certificate cannot complete the login. Salted passwords are cached per (user, password, salt,
 * iterations) in this process only, as SCRAM clients do, so repeated logins skip PBKDF2.
 */
public final class ScramClient {
  private static final int CACHE_ENTRIES = 64;
  private static final Map<String, byte[]> SALTED_CACHE = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
          return size() > CACHE_ENTRIES;
        }
      });

  private final String user;
  private final char[] password;
  private final String clientNonce;
  private final String gs2Header;
  /** The {@code c=} value: base64 of the gs2 header and the binding data. */
  private final String channelBinding;
  private String clientFirstBare;
  private String serverFirst;
  private String serverNonce;
  private byte[] expectedServerSignature;

  /** An exchange without channel binding (gs2 header {@code n,,}), as over plain text. */
  public ScramClient(String user, char[] password) {
    this(user, password, null);
  }

  /**
   * @param tlsServerEndPoint the binding data of the TLS connection the login runs over
   *     ({@link ChannelBinding#tlsServerEndPoint} of the server's leaf certificate as received), or null
   *     over plain text
   */
  public ScramClient(String user, char[] password, byte[] tlsServerEndPoint) {
    this.user = user;
    this.password = password.clone();
    this.clientNonce = Scram.nonce();
    this.gs2Header = tlsServerEndPoint == null ? Scram.GS2_HEADER : Scram.GS2_HEADER_BOUND;
    this.channelBinding = Scram.channelBinding(gs2Header, tlsServerEndPoint);
  }

  public String clientFirst() {
    clientFirstBare = "n=" + Scram.escapeName(user) + ",r=" + clientNonce;
    return gs2Header + clientFirstBare;
  }

  /** The salt and iteration count a server's first message asks the client to derive its keys with. */
  public record Challenge(byte[] salt, int iterations) {
    public Challenge {
      salt = salt.clone();
    }

    @Override
    public byte[] salt() {
      return salt.clone();
    }
  }

  /** Answers the server's challenge; runs PBKDF2 unless this salt was seen before in this process. */
  public String clientFinal(String serverFirst) throws ProtocolException {
    return clientFinal(challenge(serverFirst), null);
  }

  /**
   * Reads the server's first message: checks that its nonce extends ours and returns the salt and iteration
   * count, for a caller that may already hold the keys ({@link #clientFinal(Challenge, ScramKeys)}).
   */
  public Challenge challenge(String serverFirst) throws ProtocolException {
    Map<Character, String> attributes = Scram.attributes(serverFirst);
    String nonce = Scram.require(attributes, 'r');
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw Scram.bad("server nonce does not extend ours");
    }
    byte[] salt = Scram.decode(Scram.require(attributes, 's'));
    int iterations;
    try {
      iterations = Integer.parseInt(Scram.require(attributes, 'i'));
    } catch (NumberFormatException e) {
      throw Scram.bad("iteration count is not a number");
    }
    if (iterations < ScramCredentials.MIN_ITERATIONS) throw Scram.bad("server asks for too few iterations");
    this.serverFirst = serverFirst;
    this.serverNonce = nonce;
    return new Challenge(salt, iterations);
  }

  /** The keys of this exchange's password under {@code challenge}: PBKDF2 unless seen before in this process. */
  public ScramKeys derive(Challenge challenge) {
    return ScramKeys.of(saltedPassword(challenge.salt(), challenge.iterations()));
  }

  /**
   * The client's final message for the challenge {@link #challenge} read, proven with {@code keysOrNull}, or
   * with keys derived from the password when null.
   */
  public String clientFinal(Challenge challenge, ScramKeys keysOrNull) {
    if (serverFirst == null) throw new IllegalStateException("challenge(serverFirst) first");
    ScramKeys keys = keysOrNull != null ? keysOrNull : derive(challenge);
    String withoutProof = "c=" + channelBinding + ",r=" + serverNonce;
    byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
        .getBytes(StandardCharsets.UTF_8);
    byte[] clientKey = keys.clientKey();
    byte[] storedKey = ScramCredentials.sha256(clientKey);
    byte[] proof = Scram.xor(clientKey, ScramCredentials.hmac(storedKey, authMessage));
    expectedServerSignature = ScramCredentials.hmac(keys.serverKey(), authMessage);
    Arrays.fill(clientKey, (byte) 0);
    return withoutProof + ",p=" + Scram.encode(proof);
  }

  /** Verifies that the server, too, knew the keys; a forged server cannot produce this signature. */
  public void verifyServerFinal(String serverFinal) throws ProtocolException {
    if (expectedServerSignature == null) throw Scram.bad("no exchange in progress");
    Map<Character, String> attributes = Scram.attributes(serverFinal);
    if (attributes.containsKey('e')) throw Scram.bad("server refused: " + attributes.get('e'));
    byte[] signature = Scram.decode(Scram.require(attributes, 'v'));
    if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
      throw new ProtocolException(ErrorCode.AUTH_FAILED, "server signature is wrong: not the real server");
    }
  }

  private byte[] saltedPassword(byte[] salt, int iterations) {
    String key = cacheKey(salt, iterations);
    byte[] cached = SALTED_CACHE.get(key);
    if (cached != null) return cached;
    byte[] salted = ScramCredentials.saltedPassword(password, salt, iterations);
    SALTED_CACHE.put(key, salted);
    return salted;
  }

  private String cacheKey(byte[] salt, int iterations) {
    byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
    try {
      byte[] material = new byte[pw.length + salt.length + user.length() * 4 + 16];
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(material);
      b.put(user.getBytes(StandardCharsets.UTF_8)).put((byte) 0).put(pw).put((byte) 0).put(salt)
          .putInt(iterations);
      return Scram.encode(ScramCredentials.sha256(Arrays.copyOf(material, b.position())));
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }
}
