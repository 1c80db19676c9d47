package dev.selectftp.common;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing and formatting of SCRAM messages (RFC 5802 section 7), shared by client and server. */
public final class Scram {
  /** The gs2 header of a client without channel binding (plain text), and no authzid. */
  static final String GS2_HEADER = "n,,";
  /** A client that could bind but believes the server cannot (RFC 5802 section 6). */
  static final String GS2_HEADER_NO_SERVER_SUPPORT = "y,,";
  /** The gs2 header of SCRAM-SHA-256-PLUS over TLS (RFC 5929's tls-server-end-point), no authzid. */
  static final String GS2_HEADER_BOUND = "p=" + ChannelBinding.TLS_SERVER_END_POINT + ",,";
  static final int NONCE_BYTES = 18;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Scram() {}

  /** A fresh printable nonce (base64 without ',' which SCRAM reserves). */
  public static String nonce() {
    byte[] bytes = new byte[NONCE_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Escapes a user name as RFC 5802's saslname: '=' to "=3D" and ',' to "=2C". */
  public static String escapeName(String user) {
    return user.replace("=", "=3D").replace(",", "=2C");
  }

  static String unescapeName(String name) throws ProtocolException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ',') throw bad("',' in user name");
      if (c != '=') {
        out.append(c);
      } else if (name.startsWith("=3D", i)) {
        out.append('=');
        i += 2;
      } else if (name.startsWith("=2C", i)) {
        out.append(',');
        i += 2;
      } else {
        throw bad("bad escape in user name");
      }
    }
    return out.toString();
  }

  /** Splits "a=1,b=2" into an ordered map; every attribute is one letter. */
  static Map<Character, String> attributes(String message) throws ProtocolException {
    Map<Character, String> out = new LinkedHashMap<>();
    for (String part : message.split(",", -1)) {
      if (part.length() < 2 || part.charAt(1) != '=') throw bad("malformed SCRAM attribute");
      if (out.put(part.charAt(0), part.substring(2)) != null) throw bad("repeated SCRAM attribute");
    }
    return out;
  }

  static String require(Map<Character, String> attributes, char name) throws ProtocolException {
    String value = attributes.get(name);
    if (value == null || value.isEmpty()) throw bad("SCRAM attribute '" + name + "' missing");
    return value;
  }

  static byte[] decode(String base64) throws ProtocolException {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw bad("SCRAM value is not base64");
    }
  }

  /**
   * The {@code c=} value for a gs2 header: base64 of the header's bytes followed by the channel's binding
   * data ({@code null} or empty when the header binds nothing).
   */
  static String channelBinding(String gs2Header, byte[] bindingData) {
    byte[] header = gs2Header.getBytes(StandardCharsets.US_ASCII);
    byte[] data = bindingData == null ? new byte[0] : bindingData;
    byte[] both = Arrays.copyOf(header, header.length + data.length);
    System.arraycopy(data, 0, both, header.length, data.length);
    return encode(both);
  }

  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) out[i] = (byte) (a[i] ^ b[i]);
    return out;
  }

  static ProtocolException bad(String why) {
    return new ProtocolException(ErrorCode.BAD_REQUEST, why);
  }
}
