package dev.selectftp.server;

import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.core.StoreCalls;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.storage.Storage;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.RegistrationLimits;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.storage.HomeLayout;
import dev.selectftp.server.storage.s3.ObjectStorage;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.net.ConnectionCaps;
import dev.selectftp.server.net.Listener;
import dev.selectftp.server.net.TlsSupport;
import dev.selectftp.server.protocol.selectftp.SelectFtpDoor;
import dev.selectftp.server.protocol.selectftp.Services;
import dev.selectftp.server.protocol.selectftp.Session;
import dev.selectftp.server.tls.ServerCertificates;
import dev.selectftp.server.tls.TlsCertificateException;
import dev.selectftp.server.tls.TlsEngines;
import dev.selectftp.server.tls.TlsMaterialException;
import dev.selectftp.server.transfer.FileHashes;
import dev.selectftp.server.transfer.TransferLog;
import dev.selectftp.server.transfer.UploadLocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the services and the event loop, and runs the loop on its own thread: the SelectFTP door's
 * listener here, the standard FTP door's in {@link FtpPort}; {@link ConnectionUpkeep} looks after the open
 * connections, {@link PartialSweep} after stale partial uploads.
 */
public final class FtpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FtpServer.class);
  private static final long STOP_WAIT_MILLIS = 5_000;
  /** Threads for TLS handshake steps: a connect burst keeps both cores busy, the loop only moves bytes. */
  private static final int HANDSHAKE_THREADS = 2;
  /** A store call is short on a disk and a round trip on S3: a few threads, so one slow call holds up no other. */
  private static final int STORE_THREADS = 4;
  /** Default time transfers in flight get to finish on shutdown. */
  public static final java.time.Duration DEFAULT_GRACE = java.time.Duration.ofSeconds(10);

  private final ServerConfig config;
  private final EventLoop loop;
  private final Background background;
  private final Background accountWork;
  /** One thread: listing pages queue among themselves, never ahead of an upload's commit. */
  private final Background listings;
  /** Every store call but listings, hashing and commits: see {@link StoreCalls}. */
  private final Background store;
  /** TLS handshake steps (signatures, key agreement), off the loop and never queued behind a commit; null without TLS. */
  private final Background handshakes;
  /** The certificates this server opened itself (TLS on, no engines given), closed with it; else null. */
  private final ServerCertificates certificates;
  private final Listener listener;
  /** The standard FTP door; null when it is off. */
  private final FtpPort ftp;
  private final ConnectionUpkeep connections;
  private final Thread thread;
  private final Consumer<Throwable> onLoopDeath;
  /** users.json ({@link Accounts}) or PostgreSQL ({@link PostgresAccounts}, closed with the server). */
  private final AccountRepository accounts;
  /** Local disk ({@link FileStore}) or an S3 bucket ({@link ObjectStorage}, closed with the server). */
  private final Storage files;
  /** The quota ledger and upload locks several nodes share (PostgreSQL accounts), else local ones. */
  private final ClusterNode cluster;
  private boolean closed;

  private FtpServer(ServerConfig config, TlsEngines engines, ServerCertificates owned,
      Consumer<Throwable> onLoopDeath, AccountRepository accounts, Storage files) throws IOException {
    this.certificates = owned;
    this.onLoopDeath = onLoopDeath;
    this.config = config;
    this.accounts = accounts;
    this.files = files;
    this.loop = new EventLoop();
    loop.onDeath(this::loopDied);
    this.background = new Background(loop);
    this.accountWork = new Background("ftp-accounts", 1, loop::post);
    // PostgreSQL accounts follow changes on their own listener thread; users.json is looked at from here.
    if (accounts instanceof Accounts json) json.refreshInBackground(accountWork);
    this.listings = new Background("ftp-listing", 1, loop::post);
    this.store = new Background("ftp-store", STORE_THREADS, loop::post);
    // Homes are counted off the loop (at a user's first login) and then kept by deltas: never walked on it.
    this.cluster = ClusterNode.of(accounts, config.dataDir(), loop::post);
    Quotas quotas = new Quotas(user -> accounts.find(user).map(User::quotaBytes).orElse(0L), config.maxFiles(),
        (user, done) -> background.run(() -> files.tally(user), done::accept), cluster.quota());
    UploadLocks uploads = new UploadLocks(cluster.locks());
    HashCache hashes = new HashCache();
    // One count of connections for both doors: the caps bound the server, not each port.
    ConnectionCaps caps = new ConnectionCaps(config.maxConnections(), config.maxPerAddress());
    this.connections = new ConnectionUpkeep(loop, config, caps);
    Services services = new Services(config, loop, background, accounts, new LoginThrottle(System::nanoTime),
        accountWork, listings, new StoreCalls(store, files),
        new RegistrationLimits(config.registration(), System::nanoTime),
        files, quotas, hashes, new FileHashes(hashes, background), uploads, new TransferLog(),
        connections::stats);
    this.handshakes = config.tls().enabled() ? new Background("ftp-tls", HANDSHAKE_THREADS, loop::post) : null;
    TlsSupport tls = handshakes == null ? null : new TlsSupport(engines, handshakes);
    this.listener = new Listener(loop, config.bind(), config.backlog(), caps,
        new SelectFtpDoor(peer -> new Session(services, peer)), tls, config.proxyProtocol());
    // Both ports are bound before either is registered: a channel registered with the selector is only
    // closed when the loop next selects, which a server that never started never does.
    try {
      this.ftp = config.ftpEnabled() ? FtpPort.bind(services, caps, tls) : null;
    } catch (BindException e) {
      listener.close(); // the SelectFTP port must not stay bound by a server that never started
      throw e;
    }
    listener.register();
    if (ftp != null) ftp.register();
    connections.start();
    PartialSweep.HomeNames homes = files instanceof ObjectStorage s3 ? s3::homeNames
        : () -> PartialSweep.localHomes(HomeLayout.homesDir(config.dataDir()));
    new PartialSweep(loop, background, files, homes, quotas, uploads, config.partialMaxAge()).start();
    cluster.startHeartbeat(); // last: a server that failed to start leaves no timer thread behind
    this.thread = new Thread(loop, "ftp-loop");
  }

  /**
   * Binds, starts the loop thread and returns once the server accepts connections. With TLS on, the
   * certificate comes from {@code config.tls()}: the PEM files given, or a self-signed pair in the data folder.
   */
  public static FtpServer start(ServerConfig config) throws IOException {
    return start(config, null, t -> { });
  }

  /** Like {@link #start(ServerConfig)}, with the engines TLS connections use (null: from {@code config.tls()}). */
  public static FtpServer start(ServerConfig config, TlsEngines engines) throws IOException {
    return start(config, engines, t -> { });
  }

  /** {@link #start(ServerConfig, TlsEngines, Consumer)} with the certificates {@code config.tls()} names. */
  public static FtpServer start(ServerConfig config, Consumer<Throwable> onLoopDeath) throws IOException {
    return start(config, null, onLoopDeath);
  }

  /**
   * Like {@link #start(ServerConfig)}, and should the loop thread die (an Error such as OutOfMemoryError,
   * or a selector failure), {@code onLoopDeath} is called on the dying thread after one log line. It must
   * return at once; the process's {@code main} passes {@link FailFast#loopDied}, which ends the process.
   *
   * @param engines where TLS connections get their engine; null to open the certificates {@code config.tls()}
   *     names (or generate a self-signed pair), which this server then closes with itself
   * @throws TlsCertificateException (an IOException) when those certificates cannot be used; one line
   */
  public static FtpServer start(ServerConfig config, TlsEngines engines, Consumer<Throwable> onLoopDeath)
      throws IOException {
    return start(config, engines, onLoopDeath, null);
  }

  /** Like {@link #start(ServerConfig)}, with the homes in {@code files} instead of the data folder's. */
  public static FtpServer start(ServerConfig config, Storage files) throws IOException {
    return start(config, null, t -> { }, files);
  }

  /** @param files the homes; null for the ones {@code config} names ({@link Backends#openStorage}) */
  private static FtpServer start(ServerConfig config, TlsEngines engines, Consumer<Throwable> onLoopDeath,
      Storage files) throws IOException {
    // Certificates are read (or a self-signed pair generated) before the loop serves anyone.
    ServerCertificates owned;
    try {
      owned = config.tls().enabled() && engines == null
          ? ServerCertificates.open(config.tls(), config.dataDir(), config.bind()) : null;
    } catch (TlsMaterialException e) {
      throw new TlsCertificateException(e);
    }
    FtpServer server;
    AccountRepository accounts = null;
    Storage store = files;
    try {
      accounts = Backends.openAccounts(config, log);
      if (store == null) store = Backends.openStorage(config, log);
      server = new FtpServer(config, owned != null ? owned : engines, owned, onLoopDeath, accounts, store);
    } catch (IOException | RuntimeException e) {
      if (owned != null) owned.close(); // its reload thread must not outlive a server that never started
      Backends.close(accounts, store); // nor the pool and listener, nor the part senders
      throw e;
    }
    server.thread.start();
    log.info("SelectFTP listening on {} with data in {}", server.listener.localAddress(),
        config.dataDir().toAbsolutePath());
    if (server.ftp != null) log.info("standard FTP listening on {}", server.ftp.localAddress());
    return server;
  }

  public int port() {
    try {
      return listener.localAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The standard FTP door's port (useful with {@code withFtpPort(0)}). */
  public int ftpPort() {
    if (ftp == null) throw new IllegalStateException("the FTP door is off");
    try {
      return ftp.localAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ServerConfig config() {
    return config;
  }

  /** The SHA-256 fingerprint of the certificate this server opened itself, as openssl prints it; else empty. */
  public java.util.Optional<String> certificateFingerprint() {
    return java.util.Optional.ofNullable(certificates).map(ServerCertificates::fingerprint);
  }

  /** The loop thread is gone: one line (no stack trace, which may not fit in an exhausted heap), then the owner. */
  private void loopDied(Throwable t) {
    try {
      log.error("the event loop died, nobody is served any more: {}", t.toString());
    } catch (Throwable more) { // NOPMD: logging may fail when the heap is exhausted; the owner must still hear
      t.addSuppressed(more);
    }
    onLoopDeath.accept(t);
  }

  /** True once the loop thread has died of an error; such a server serves nobody and should be replaced. */
  public boolean loopDied() {
    return loop.death() != null;
  }

  /**
   * Heap the open connections hold for their peers' bytes (queued replies, kept input, partial frames),
   * summed on the loop thread; for tests and benchmarks of the per-connection bounds.
   */
  public long connectionBufferedBytes() throws InterruptedException, java.util.concurrent.ExecutionException,
      java.util.concurrent.TimeoutException {
    java.util.concurrent.CompletableFuture<Long> sum = new java.util.concurrent.CompletableFuture<>();
    loop.post(() -> sum.complete(connections.bufferedBytes()));
    return sum.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops at once: closes every connection (partials stay resumable) and the loop. Safe twice. */
  @Override
  public void close() {
    shutdown(java.time.Duration.ZERO);
  }

  /**
   * Graceful stop: stops accepting, tells idle sessions the server is going away, gives transfers in
   * flight up to {@code grace} to finish, then closes whatever is left (partials stay resumable), lets
   * pending commits finish, and returns. Safe twice; blocks the caller, never the loop.
   */
  public synchronized void shutdown(java.time.Duration grace) {
    if (closed) return;
    closed = true;
    if (loopDied()) {
      // Nothing posted to a dead loop ever runs: do not wait for a drain, only for commits in flight.
      background.close(STOP_WAIT_MILLIS);
      store.close(STOP_WAIT_MILLIS);
      closeRest();
      log.info("SelectFTP stopped after its event loop died");
      return;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
    loop.post(() -> {
      listener.close();
      if (ftp != null) ftp.closeListener();
      connections.drainUntil(deadline, drained);
    });
    try {
      if (!drained.await(grace.toMillis() + STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        log.warn("shutdown: connections did not drain in time");
      }
      loop.close();
      loop.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Commits already handed to helper threads finish: a verified file still lands whole.
    background.close(STOP_WAIT_MILLIS);
    store.close(STOP_WAIT_MILLIS); // an abandoned upload's partial is trimmed there: it stays resumable
    accountWork.close();
    listings.close(0);
    closeRest();
    log.info("SelectFTP stopped");
  }

  /** After the loop and the helpers that may still use them: the passwords, TLS, the cluster and the stores. */
  private void closeRest() {
    if (ftp != null) ftp.closePasswords();
    if (handshakes != null) handshakes.close(0);
    if (certificates != null) certificates.close();
    cluster.close(); // before the stores: its locks and heartbeat use the accounts database
    Backends.close(accounts, files);
  }
}
