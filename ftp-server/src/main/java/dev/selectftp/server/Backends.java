package dev.selectftp.server;

import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.DemoData;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.storage.s3.ObjectStorage;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;

/**
 * The two stores a server is built on, as its config names them: the accounts (users.json or
 * PostgreSQL) and the homes (the data folder's disk or an S3 bucket). Opened before the loop serves anyone, and
 * closed with the server, or at once when it fails to start, so that no pool, listener or part sender outlives it.
 */
final class Backends {
  private Backends() {
  }

  /**
   * The homes {@code config} names: an S3 bucket when {@link ServerConfig#storage()} is set (its bucket must
   * answer now), else {@code home/} in the data folder. Logs to {@code log}, the server's: its lines keep their name.
   */
  static Storage openStorage(ServerConfig config, Logger log) throws IOException {
    if (config.storage() == null) return new FileStore(config.dataDir());
    ObjectStorage s3 = ObjectStorage.open(config.storage(), config.dataDir());
    log.info("homes in {}", config.storage());
    return s3;
  }

  /**
   * The accounts {@code config} names: PostgreSQL when {@link ServerConfig#accounts()} is set, else users.json
   * in the data folder, which a fresh folder gets with the demo user (said on {@code log}, the server's).
   */
  static AccountRepository openAccounts(ServerConfig config, Logger log) throws IOException {
    Files.createDirectories(config.dataDir());
    Home.requireSecureDirectories(config.dataDir()); // homes are confined by openat: no silent fallback
    if (config.accounts() != null) {
      return PostgresAccounts.open(config.accounts(), config.dataDir(), config.defaultQuotaBytes(),
          config.iterations());
    }
    Accounts json = Accounts.open(config.dataDir(), config.defaultQuotaBytes(), config.iterations());
    if (DemoData.seedIfFresh(json, config.dataDir())) {
      log.info("fresh data folder {}: demo user xiaoyu / 123456 created with sample files", config.dataDir());
    }
    return json;
  }

  /**
   * Closes what holds threads or connections of its own: PostgreSQL's pool and listener, S3's part senders.
   * users.json and the disk hold none. Either may be null (not opened yet).
   */
  static void close(AccountRepository accounts, Storage files) {
    if (accounts instanceof PostgresAccounts pg) pg.close();
    if (files instanceof ObjectStorage s3) s3.close();
  }
}
