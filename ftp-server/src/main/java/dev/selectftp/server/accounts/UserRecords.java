package dev.selectftp.server.accounts;

import dev.selectftp.server.storage.UserNames;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.util.Base64;

/**
 * One user as a JSON object, the same in {@code users.json} and in {@code users.journal}: name, salt,
 * iterations, storedKey, serverKey (base64), quotaBytes, created. Errors never quote key material.
 */
final class UserRecords {
  private UserRecords() {}

  static ObjectNode toJson(ObjectMapper json, User u) {
    Base64.Encoder b64 = Base64.getEncoder();
    ScramCredentials c = u.credentials();
    ObjectNode n = json.createObjectNode();
    n.put("name", u.name());
    n.put("salt", b64.encodeToString(c.salt()));
    n.put("iterations", c.iterations());
    n.put("storedKey", b64.encodeToString(c.storedKey()));
    n.put("serverKey", b64.encodeToString(c.serverKey()));
    n.put("quotaBytes", u.quotaBytes());
    n.put("created", u.created());
    return n;
  }

  /**
   * The user in {@code n}.
   *
   * @param where names the record in the message of the "corrupt" exception, e.g. {@code users[3]}
   * @throws Corrupt when a field is missing, of the wrong type or out of range
   */
  static User fromJson(JsonNode n, String where) throws Corrupt {
    if (n == null || !n.isObject()) throw new Corrupt(where + " is not an object");
    String name = text(n, "name", where);
    if (!UserNames.isValid(name)) throw new Corrupt(where + " has an invalid name");
    JsonNode iterations = n.get("iterations");
    JsonNode quota = n.get("quotaBytes");
    if (iterations == null || !iterations.canConvertToInt()) throw new Corrupt(where + ".iterations is not an int");
    if (quota == null || !quota.canConvertToLong()) throw new Corrupt(where + ".quotaBytes is not a number");
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      ScramCredentials c = new ScramCredentials(b64.decode(text(n, "salt", where)), iterations.intValue(),
          b64.decode(text(n, "storedKey", where)), b64.decode(text(n, "serverKey", where)));
      return new User(name, c, quota.longValue(), text(n, "created", where));
    } catch (IllegalArgumentException e) {
      // Bad base64 and out-of-range sizes both land here; the cause's text may quote key bytes, so it stays out.
      throw new Corrupt(where + " (" + name + ") has invalid credentials or quota");
    }
  }

  private static String text(JsonNode n, String field, String where) throws Corrupt {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) throw new Corrupt(where + "." + field + " is missing or not a string");
    return v.textValue();
  }

  /** What is wrong with a record; the store adds which file and what to do. */
  static final class Corrupt extends IOException {
    Corrupt(String why) {
      super(why, null);
    }
  }
}
