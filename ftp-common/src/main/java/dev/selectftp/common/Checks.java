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
