package dev.selectftp.common;

import java.util.regex.Pattern;

/** Field checks shared by the message records' compact constructors. */
final class Checks {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{1,1024}={0,2}");

  private Checks() {}

  static void text(String field, String value, int maxChars) {
    if (value == null) throw new IllegalArgumentException(field + " is required");
    if (value.length() > maxChars) {
      throw new IllegalArgumentException(field + " is longer than " + maxChars + " characters");
    }
  }

  /**
   * A path field: present and at most {@code maxChars} UTF-16 chars. Too long is a {@link BadPath}, which the
   * codec answers with {@code bad-path} like every other path the server cannot use.
   */
  static void path(String field, String value, int maxChars) {
    if (value == null) throw new IllegalArgumentException(field + " is required");
    if (value.length() > maxChars) {
      throw new BadPath(field + " is " + value.length() + " characters long; at most " + maxChars + " are allowed");
    }
  }

  /** A path refused for its form, not a malformed message; still an {@link IllegalArgumentException} to callers. */
  static final class BadPath extends IllegalArgumentException {
    BadPath(String message) {
      super(message);
    }
  }

  static void sha256(String field, String value) {
    if (value == null || !SHA256_HEX.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be 64 lowercase hex digits");
    }
  }

  static void base64(String field, String value) {
    if (value == null || !BASE64.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be standard base64");
    }
  }
}
