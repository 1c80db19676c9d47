package dev.selectftp.server.core;

import dev.selectftp.common.LogText;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.VirtualPath;
import dev.selectftp.server.transfer.TransferLog;
import java.util.Locale;

/**
 * The rule every door follows: a transfer refused before any byte moved (a missing file, a bad path, a busy
 * name, no room in the quota) still writes its one line to the transfer log, the same line whichever door
 * refused it. The doors decide when a transfer was refused; this class decides what its line says.
 */
public final class RefusedTransfers {
  /** The transfer log's {@code direction} of a STOR, APPE or {@code put}. */
  public static final String UPLOAD = "upload";
  /** The transfer log's {@code direction} of a RETR or {@code get}. */
  public static final String DOWNLOAD = "download";

  private final TransferLog log;
  private final Quotas quotas;

  public RefusedTransfers(TransferLog log, Quotas quotas) {
    this.log = log;
    this.quotas = quotas;
  }

  /** The line of a transfer of {@code path} refused for {@code why}; its result names the refusal. */
  public void refused(Login login, String address, String direction, String path, Refusal why) {
    refused(login, address, direction, path, resultOf(why));
  }

  /**
   * The line of a transfer of {@code path} refused with {@code result}. The path is logged resolved when it
   * resolves, else as sent through {@link LogText} (escaped and cut short: a refused path can be 4096 chars of
   * anything, and the transfer log's pattern does not escape line separators as the server log's does).
   */
  public void refused(Login login, String address, String direction, String path, String result) {
    String logged;
    try {
      logged = VirtualPath.resolve(login.cwd(), path);
    } catch (Refused unresolvable) {
      logged = LogText.of(path); // it may hold what the resolver refused: line separators, bidi overrides
    }
    long usedNow = quotas.find(login.user()).map(Quotas.Usage::used).orElse(-1L);
    log.refused(login.user(), address, direction, logged, usedNow, result);
  }

  /**
   * The transfer log's result for a refusal: its name in lower case with hyphens ({@code quota-exceeded}),
   * which is also the SelectFTP door's error code for it, so both doors log the same word.
   */
  public static String resultOf(Refusal why) {
    return why.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
