package dev.selectftp.server.accounts.postgres;

/**
 * One account's bytes as the ledger holds them after a statement.
 *
 * @param usedBytes stored and confirmed
 * @param reservedBytes promised to uploads in flight, not yet committed or released
 * @param quotaBytes the account's quota; {@code usedBytes + reservedBytes} never exceeds it through a
 *     reservation (a lowered quota can leave it above until bytes are freed)
 */
public record Usage(long usedBytes, long reservedBytes, long quotaBytes) {}
