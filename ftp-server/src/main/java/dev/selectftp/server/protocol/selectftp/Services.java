package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.Response;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.core.StoreCalls;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.RegistrationLimits;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.transfer.FileHashes;
import dev.selectftp.server.transfer.TransferLog;
import dev.selectftp.server.transfer.UploadLocks;
import java.util.function.Supplier;

/**
 * What every session shares: the plain services and the loop's facilities. Account writes go to
 * {@code accountWork} and listing pages to {@code listings}, never to {@code background}, whose threads
 * commit uploads: a flood of either must not queue a bystander's commit behind it. Every other call of the
 * homes' store (a stat, cd, mkdir, delete, rename, an open) goes to {@code store}, its own pool.
 */
public record Services(
    ServerConfig config,
    EventLoop loop,
    Background background,
    AccountRepository accounts,
    LoginThrottle throttle,
    Background accountWork,
    Background listings,
    StoreCalls store,
    RegistrationLimits registrations,
    Storage files,
    Quotas quotas,
    HashCache hashes,
    FileHashes fileHashes,
    UploadLocks uploads,
    TransferLog transfers,
    Supplier<Response.ServerStats> stats) {

  /** For tests that drive a session without a loop: store calls run at once on the caller's thread. */
  public Services(ServerConfig config, EventLoop loop, Background background, AccountRepository accounts,
      LoginThrottle throttle, Background accountWork, Background listings, RegistrationLimits registrations,
      Storage files, Quotas quotas, HashCache hashes, FileHashes fileHashes, UploadLocks uploads,
      TransferLog transfers, Supplier<Response.ServerStats> stats) {
    this(config, loop, background, accounts, throttle, accountWork, listings,
        new StoreCalls(Offload.INLINE, files), registrations, files, quotas, hashes, fileHashes, uploads, transfers,
        stats);
  }
}
