package dev.selectftp.server;

import dev.selectftp.common.LogText;
import dev.selectftp.common.Response;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.accounts.DemoData;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.accounts.RegistrationLimits;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.loop.EventLoop;
import dev.selectftp.server.loop.LoopStats;
import dev.selectftp.server.loop.Selectable;
import dev.selectftp.server.net.Connection;
import dev.selectftp.server.net.ConnectionLimits;
import dev.selectftp.server.net.ConnectionCaps;
import dev.selectftp.server.net.Listener;
import dev.selectftp.server.net.TlsSupport;
import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.core.PasswordCache;
import dev.selectftp.server.core.Downloads;
import dev.selectftp.server.core.Uploads;
import dev.selectftp.server.protocol.ftp.FtpDoor;
import dev.selectftp.server.protocol.ftp.FtpTls;
import dev.selectftp.server.protocol.ftp.FtpServices;
import dev.selectftp.server.protocol.ftp.PassiveListeners;
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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles the services and the event loop, and runs the loop on its own thread. */
public final class FtpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FtpServer.class);
  /** How often login and idle deadlines are checked. */
  private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How often the loop's own figures go to the server log. */
  private static final long STATS_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** How often stale partial uploads are looked for. */
  private static final long PARTIAL_SWEEP_NANOS = TimeUnit.HOURS.toNanos(1);
  private static final long STOP_WAIT_MILLIS = 5_000;
  /** How often a draining server looks whether its transfers have finished. */
  private static final long DRAIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Threads for TLS handshake steps: a connect burst keeps both cores busy, the loop only moves bytes. */
  private static final int HANDSHAKE_THREADS = 2;
  /** Default time transfers in flight get to finish on shutdown. */
  public static final java.time.Duration DEFAULT_GRACE = java.time.Duration.ofSeconds(10);

  private final ServerConfig config;
  private final EventLoop loop;
  private final Background background;
  private final Background accountWork;
  /** One thread: listing pages queue among themselves, never ahead of an upload's commit. */
  private final Background listings;
  /** TLS handshake steps (signatures, key agreement), off the loop and never queued behind a commit; null without TLS. */
  private final Background handshakes;
  /** The certificates this server opened itself (TLS on, no engines given), closed with it; else null. */
  private final ServerCertificates certificates;
  private final Listener listener;
  /** One count of connections for both doors: the caps bound the server, not each port. */
  private final ConnectionCaps caps;
  /** The standard FTP door's listener, with caps of its own; null when the door is off. */
  private final Listener ftpListener;
  /** PASS checks (one PBKDF2 each) of the FTP door, never queued behind a commit; null when the door is off. */
  private final Background passwords;
  private final Quotas quotas;
  private final FileStore files;
  private final UploadLocks uploads;
  private final Thread thread;
  private final Consumer<Throwable> onLoopDeath;
  private boolean closed;

  private FtpServer(ServerConfig config, TlsEngines engines, ServerCertificates owned,
      Consumer<Throwable> onLoopDeath) throws IOException {
    this.certificates = owned;
    this.onLoopDeath = onLoopDeath;
    this.config = config;
    Files.createDirectories(config.dataDir());
    Home.requireSecureDirectories(config.dataDir()); // homes are confined by openat: no silent fallback
    Accounts accounts = Accounts.open(config.dataDir(), config.defaultQuotaBytes(), config.iterations());
    if (DemoData.seedIfFresh(accounts, config.dataDir())) {
      log.info("fresh data folder {}: demo user xiaoyu / 123456 created with sample files", config.dataDir());
    }
    this.files = new FileStore(config.dataDir());
    this.loop = new EventLoop();
    loop.onDeath(this::loopDied);
    this.background = new Background(loop);
    this.accountWork = new Background("ftp-accounts", 1, loop::post);
    accounts.refreshInBackground(accountWork);
    this.listings = new Background("ftp-listing", 1, loop::post);
    // Homes are counted off the loop (at a user's first login) and then kept by deltas: never walked on it.
    this.quotas = new Quotas(user -> accounts.find(user).map(User::quotaBytes).orElse(0L), config.maxFiles(),
        (user, done) -> background.run(() -> files.tally(user), done::accept));
    this.uploads = new UploadLocks();
    HashCache hashes = new HashCache();
    LoginThrottle throttle = new LoginThrottle(System::nanoTime);
    Services services = new Services(config, loop, background, accounts, throttle,
        accountWork, listings, new RegistrationLimits(config.registration(), System::nanoTime),
        files, quotas, hashes, new FileHashes(hashes, background), uploads, new TransferLog(),
        this::stats);
    this.handshakes = config.tls().enabled() ? new Background("ftp-tls", HANDSHAKE_THREADS, loop::post) : null;
    TlsSupport tls = handshakes == null ? null : new TlsSupport(engines, handshakes);
    this.caps = new ConnectionCaps(config.maxConnections(), config.maxPerAddress());
    this.listener = new Listener(loop, config.bind(), config.backlog(), caps,
        new SelectFtpDoor(peer -> new Session(services, peer)), tls);
    listener.register();
    if (config.ftpEnabled()) {
      this.passwords = new Background("ftp-password", Background.THREADS, loop::post);
      FtpServices ftp = new FtpServices(loop, passwords, new PasswordCache(System::nanoTime), background, listings,
          new Logins(accounts, throttle), files, quotas, new FileOperations(quotas, uploads), new Uploads(quotas, uploads, hashes), new Downloads(hashes),
          services.fileHashes(), services.transfers(),
          new PassiveListeners(config.ftpPassivePorts(), config.ftpPublicAddress()),
          tls == null ? FtpTls.off() : new FtpTls(config.tls().offer(), tls));
      try {
        this.ftpListener = new Listener(loop, new java.net.InetSocketAddress(config.bind().getAddress(),
            config.ftpPort()), config.backlog(), caps, new FtpDoor(ftp), tls);
      } catch (IOException e) {
        listener.close(); // the SelectFTP port must not stay bound by a server that never started
        passwords.close(0);
        throw new java.net.BindException("FTP port " + config.ftpPort() + ": " + e.getMessage());
      }
      ftpListener.register();
    } else {
      this.passwords = null;
      this.ftpListener = null;
    }
    loop.schedule(SWEEP_NANOS, this::sweepTimeouts);
    loop.schedule(STATS_LOG_NANOS, this::logStats);
    loop.schedule(0, this::sweepPartials);
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
    // Certificates are read (or a self-signed pair generated) before the loop serves anyone.
    ServerCertificates owned;
    try {
      owned = config.tls().enabled() && engines == null
          ? ServerCertificates.open(config.tls(), config.dataDir(), config.bind()) : null;
    } catch (TlsMaterialException e) {
      throw new TlsCertificateException(e);
    }
    FtpServer server;
    try {
      server = new FtpServer(config, owned != null ? owned : engines, owned, onLoopDeath);
    } catch (IOException | RuntimeException e) {
      if (owned != null) owned.close(); // its reload thread must not outlive a server that never started
      throw e;
    }
    server.thread.start();
    log.info("SelectFTP listening on {} with data in {}", server.listener.localAddress(),
        config.dataDir().toAbsolutePath());
    if (server.ftpListener != null) log.info("standard FTP listening on {}", server.ftpListener.localAddress());
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
    if (ftpListener == null) throw new IllegalStateException("the FTP door is off");
    try {
      return ftpListener.localAddress().getPort();
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
    loop.post(() -> {
      long total = 0;
      for (Selectable s : loop.attachments()) {
        if (s instanceof Connection c) total += c.bufferedBytes();
      }
      sum.complete(total);
    });
    return sum.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
  }

  private Response.ServerStats stats() {
    LoopStats.Snapshot s = loop.stats().snapshot();
    loop.stats().reset();
    Runtime rt = Runtime.getRuntime();
    return new Response.ServerStats(Response.OK, "ok", caps.connections(), s.totalPasses(), s.maxMicros(),
        s.p99Micros(), rt.totalMemory() - rt.freeMemory());
  }

  private void sweepTimeouts() {
    long now = System.nanoTime();
    long login = config.loginTimeout().toNanos();
    long idle = config.idleTimeout().toNanos();
    // A frame may take the frame timeout, or the idle timeout when that is shorter (tests shorten it).
    long frame = Math.min(ConnectionLimits.FRAME_TIMEOUT.toNanos(), idle);
    for (Selectable s : loop.attachments()) {
      if (s instanceof Connection c) c.checkTimeouts(now, login, idle, frame);
    }
    loop.schedule(SWEEP_NANOS, this::sweepTimeouts);
  }

  private void logStats() {
    LoopStats.Snapshot s = loop.stats().snapshot();
    Runtime rt = Runtime.getRuntime();
    log.info("loop: {} connections, longest pass {} us, p99 {} us, heap {} MiB", caps.connections(),
        s.maxMicros(), s.p99Micros(), (rt.totalMemory() - rt.freeMemory()) >> 20);
    loop.schedule(STATS_LOG_NANOS, this::logStats);
  }

  /**
   * Deletes partial uploads nobody touched for the configured age, one home at a time off the loop,
   * skipping any an upload holds. Each home's clean-up is announced to the quotas first and what it freed
   * applied as a delta after, so a count of that home running meanwhile is held back, never half-right.
   */
  private void sweepPartials() {
    background.run(this::homeNames, (users, failure) -> {
      if (failure != null) {
        log.warn("stale partial sweep failed: {}", LogText.of(failure.toString()));
        loop.schedule(PARTIAL_SWEEP_NANOS, this::sweepPartials);
      } else {
        sweepNext(users.iterator());
      }
    });
  }

  private List<String> homeNames() throws IOException {
    List<String> users = new ArrayList<>();
    if (!Files.isDirectory(files.homesDir())) return users;
    try (DirectoryStream<Path> homes = Files.newDirectoryStream(files.homesDir())) {
      for (Path dir : homes) users.add(dir.getFileName().toString());
    }
    return users;
  }

  private void sweepNext(Iterator<String> users) {
    if (!users.hasNext()) {
      loop.schedule(PARTIAL_SWEEP_NANOS, this::sweepPartials);
      return;
    }
    String user = users.next();
    quotas.beginChange(user);
    background.run(() -> files.deleteStalePartials(user, config.partialMaxAge(), Instant.now(), uploads),
        (freed, failure) -> {
          quotas.endChange(user, failure == null ? freed.negated() : Tally.ZERO);
          if (failure instanceof RejectedExecutionException) return; // shutting down
          if (failure instanceof IllegalArgumentException) {
            log.debug("stale partial sweep skips {}: not a user's home", LogText.of(user));
          } else if (failure != null) {
            log.warn("stale partial sweep skips {}: {}", LogText.of(user), LogText.of(failure.toString()));
          }
          sweepNext(users);
        });
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
      if (passwords != null) passwords.close(0);
      if (handshakes != null) handshakes.close(0);
      if (certificates != null) certificates.close();
      log.info("SelectFTP stopped after its event loop died");
      return;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);
    loop.post(() -> {
      listener.close();
      if (ftpListener != null) ftpListener.close();
      drainUntil(deadline, drained);
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
    accountWork.close();
    listings.close(0);
    if (passwords != null) passwords.close(0);
    if (handshakes != null) handshakes.close(0);
    if (certificates != null) certificates.close();
    log.info("SelectFTP stopped");
  }

  private void drainUntil(long deadlineNanos, java.util.concurrent.CountDownLatch drained) {
    int busy = 0;
    for (Selectable s : loop.attachments()) {
      if (s instanceof Connection c && c.drain()) busy++;
    }
    if (busy == 0 || System.nanoTime() - deadlineNanos >= 0) {
      if (busy > 0) log.info("shutdown: closing {} unfinished transfers; they resume after restart", busy);
      drained.countDown();
      return;
    }
    loop.schedule(DRAIN_CHECK_NANOS, () -> drainUntil(deadlineNanos, drained));
  }
}
