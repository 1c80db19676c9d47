package dev.selectftp.client;

/** Where a download's bytes go, and what an existing local file counts for. */
public enum GetMode {
  /**
   * Fetch into the hidden partial {@code .NAME.selectftp-part} beside the target, continuing one an earlier,
   * interrupted download left when the server confirms its bytes, and rename it over the target once its
   * SHA-256 matches the server's. The target, if it exists, is untouched until then. The default.
   */
  REPLACE,
  /**
   * The existing local file holds the remote file's first bytes (a copy cut short elsewhere, say): offer its
   * length and SHA-256 to the server and, when the server confirms them, append the rest to the local file in
   * place. When the server does not confirm them (the bytes differ, or the local file is longer), the whole
   * file is fetched as {@link #REPLACE} does, so the local file is untouched until the new one is verified.
   */
  RESUME_LOCAL
}
