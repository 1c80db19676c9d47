package dev.selectftp.server;

import dev.selectftp.common.LogText;
import dev.selectftp.server.accounts.AccountRepository;
import dev.selectftp.server.accounts.postgres.NodeHolds;
import dev.selectftp.server.accounts.postgres.NodeLiveness;
import dev.selectftp.server.accounts.postgres.NodeLocks;
import dev.selectftp.server.accounts.postgres.PostgresAccounts;
import dev.selectftp.server.quota.LedgerQuota;
import dev.selectftp.server.quota.SharedQuota;
import dev.selectftp.server.transfer.SharedLocks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as one node of several sharing PostgreSQL: the quota ledger and the upload locks every node sees,
 * under an id kept in the data folder ({@value #NODE_ID_FILE}), and the node's liveness. At start it gives back
 * what an earlier run of it held (its uploads died with it) and writes its heartbeat before serving anyone; then a
 * timer thread writes the heartbeat every {@link #HEARTBEAT_MILLIS} and gives back the reservations and locks of
 * nodes silent for longer than {@link #SILENT_MILLIS}, so a node that never comes back needs no operator. With
 * users.json it is one node alone: {@link SharedQuota#LOCAL}, {@link SharedLocks#LOCAL}, no thread.
 */
final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  static final String NODE_ID_FILE = "node-id";
  /** How often a node writes its heartbeat (and looks for silent nodes). */
  static final long HEARTBEAT_MILLIS = 5_000;
  /** A node silent for this long is taken for dead: six heartbeats missed, far beyond a pause of the JVM. */
  static final long SILENT_MILLIS = 30_000;
  /** Overrides {@link #SILENT_MILLIS} (tests kill a node and wait for the others to take back what it held). */
  static final String SILENT_PROPERTY = "selectftp.node-silent-millis";

  private final SharedQuota quota;
  private final SharedLocks locks;
  private final NodeLiveness liveness;
  private final long silentMillis;
  private final ScheduledExecutorService timer;
  /** When the last heartbeat was written ({@code System.nanoTime}); the timer thread only. */
  private long lastBeat = System.nanoTime(); // the first beat was written at start
  private boolean beatFailing;

  private ClusterNode(SharedQuota quota, SharedLocks locks, NodeLiveness liveness, long silentMillis) {
    this.quota = quota;
    this.locks = locks;
    this.liveness = liveness;
    this.silentMillis = silentMillis;
    this.timer = liveness == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ftp-node-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The shared side of {@code accounts}; answers of the ledger and the locks are posted to {@code results} (the
   * loop). Blocking (reads the node id, gives back what an earlier run held, first heartbeat): at start only.
   */
  static ClusterNode of(AccountRepository accounts, Path dataDir, Executor results) throws IOException {
    if (!(accounts instanceof PostgresAccounts pg)) {
      return new ClusterNode(SharedQuota.LOCAL, SharedLocks.LOCAL, null, 0); // one node alone: no thread, no I/O
    }
    String id = nodeId(dataDir);
    NodeHolds holds = pg.holds(id);
    NodeLocks lockRows = pg.locks(id);
    NodeLiveness liveness = pg.liveness(id);
    try {
      int accountsBack = holds.releaseAll();
      int locksBack = lockRows.freeAll();
      if (accountsBack > 0 || locksBack > 0) {
        log.info("cluster: gave back the reservations of {} accounts and {} upload locks that this node's last run"
            + " left", accountsBack, locksBack);
      }
    } catch (IOException e) {
      log.warn("cluster: could not give back this node's old reservations and locks: {}", LogText.of(e.getMessage()));
    }
    long silent = Long.getLong(SILENT_PROPERTY, SILENT_MILLIS);
    long asked = System.nanoTime();
    liveness.beat(); // before serving anyone; a database that does not answer now stops the start
    ClusterLocks locks = new ClusterLocks(lockRows, results, silent - period(silent), asked);
    return new ClusterNode(SharedLedger.of(pg, holds, results), locks, liveness, silent);
  }

  /** The heartbeat's period for a timeout of {@code silentMillis}: every quarter of it, at most 5 s. */
  private static long period(long silentMillis) {
    return Math.max(1, Math.min(HEARTBEAT_MILLIS, silentMillis / 4));
  }

  /**
   * Starts the heartbeat timer, once the server is built (the executors make their threads only when first
   * used, so a server that fails to start leaves none); nothing with users.json.
   */
  void startHeartbeat() {
    if (timer == null) return;
    long period = period(silentMillis);
    timer.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
  }

  /** This node's id: made at its first start with PostgreSQL accounts, then kept in the data folder. */
  private static String nodeId(Path dataDir) throws IOException {
    Path file = dataDir.resolve(NODE_ID_FILE);
    try {
      Files.writeString(file, UUID.randomUUID() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException kept) {
      // The id of this node's earlier runs, whose reservations and locks are given back.
    }
    return Files.readString(file, StandardCharsets.US_ASCII).strip();
  }

  SharedQuota quota() {
    return quota;
  }

  SharedLocks locks() {
    return locks;
  }

  /** The timer's step: the heartbeat, the give-back of silent nodes, the releases not written yet. */
  private void beat() {
    try {
      long asked = System.nanoTime();
      liveness.beat();
      if (locks instanceof ClusterLocks shared) shared.beatWritten(asked);
      long quietMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBeat);
      lastBeat = System.nanoTime();
      if (quietMillis > silentMillis) {
        log.warn("cluster: this node wrote no heartbeat for {} ms, longer than {} ms: other nodes may have given back"
            + " its reservations and upload locks meanwhile", quietMillis, silentMillis);
      }
      if (beatFailing) log.info("cluster: heartbeat written again");
      beatFailing = false;
      int[] back = liveness.reapSilent(silentMillis);
      if (back[0] > 0 || back[1] > 0) {
        log.info("cluster: gave back the reservations of {} accounts and {} upload locks of nodes silent for over {}"
            + " ms", back[0], back[1], silentMillis);
      }
    } catch (IOException | RuntimeException e) {
      if (!beatFailing) log.warn("cluster: heartbeat not written: {}", LogText.of(e.getMessage()));
      beatFailing = true;
    }
    if (locks instanceof ClusterLocks shared) shared.retryFrees();
  }

  /** Stops the heartbeat, then lets queued lock and ledger statements finish (before the accounts' pool closes). */
  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
    if (locks instanceof ClusterLocks shared) shared.close();
    if (quota instanceof LedgerQuota ledger) ledger.close();
  }
}
