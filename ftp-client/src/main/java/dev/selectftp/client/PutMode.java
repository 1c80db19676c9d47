package dev.selectftp.client;

/** What an upload does with a partial the server kept from an earlier, interrupted upload of the same name. */
public enum PutMode {
  /**
   * Continue from the server's partial when its bytes match the local file's prefix (checked by SHA-256),
   * otherwise start from byte 0. The default.
   */
  RESUME,
  /** Always send the whole file from byte 0; the server truncates any partial it holds. */
  RESTART
}
