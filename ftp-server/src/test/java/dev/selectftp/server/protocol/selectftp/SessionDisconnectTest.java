package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.LoginThrottle;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.storage.Tally;
import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.TransferLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A connection that goes away mid-login or mid-download, without sockets: the login gives its throttle slot
 * back, and the download's file is closed and its transfer-log line written with the result
 * {@code disconnected}. And one the server ends: a session whose account was removed.
 */
class SessionDisconnectTest {
  private static final String ADDRESS = "192.0.2.77";
  @TempDir Path data;
  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final ListAppender<ILoggingEvent> transferLines = new ListAppender<>();
  private final Logger transferLogger = (Logger) LoggerFactory.getLogger("selectftp.transfer");
  private LoginThrottle throttle;
  private FileStore files;
  private Services services;

  @BeforeEach
  void setUp() throws IOException {
    Accounts accounts = Accounts.open(data, 1 << 20, ScramCredentials.MIN_ITERATIONS, clock::get);
    throttle = new LoginThrottle(clock::get);
    files = new FileStore(data);
    Quotas quotas = new Quotas(u -> 1 << 20, 1000, (u, done) -> done.accept(Tally.ZERO, null));
    services = new Services(ServerConfig.forTests(data), null, null, accounts, throttle, null, null, null, files,
        quotas, null, null, null, new TransferLog(), () -> null);
    transferLines.start();
    transferLogger.addAppender(transferLines);
  }

  @AfterEach
  void tearDown() {
    transferLogger.detachAppender(transferLines);
  }

  private static byte[] payload(Request request) {
    ByteBuffer frame = MessageCodec.encode(request);
    byte[] payload = new byte[frame.getInt()];
    frame.get(payload);
    return payload;
  }

  /** Starts a SCRAM login on a new session and answers what the server said to it. */
  private Response authStart(Session session, RecordingPeer peer) {
    session.onFrame(payload(new Request.AuthStart("n,,n=carol,r=clientnonce")));
    return peer.last();
  }

  @Test
  void loginsCutByADisconnectGiveTheirThrottleSlotsBackToAnAddressUnderAttack() {
    for (int i = 0; i < LoginThrottle.ADDRESS_SLOWDOWN_FAILURES; i++) throttle.recordFailure("guess" + i, ADDRESS);
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT * 2; i++) {
      RecordingPeer peer = new RecordingPeer(ADDRESS);
      Session session = new Session(services, peer);
      assertInstanceOf(Response.AuthChallenge.class, authStart(session, peer), "login " + i);
      session.onClose();
    }
    // Without the disconnects' slots back, the next one would be locked out; the slots really are few:
    RecordingPeer[] peers = new RecordingPeer[LoginThrottle.MAX_LOGINS_IN_FLIGHT + 1];
    for (int i = 0; i < peers.length; i++) {
      peers[i] = new RecordingPeer(ADDRESS);
      authStart(new Session(services, peers[i]), peers[i]);
    }
    for (int i = 0; i < LoginThrottle.MAX_LOGINS_IN_FLIGHT; i++) {
      assertInstanceOf(Response.AuthChallenge.class, peers[i].last());
    }
    Response.Error e = assertInstanceOf(Response.Error.class, peers[LoginThrottle.MAX_LOGINS_IN_FLIGHT].last());
    assertEquals(ErrorCode.LOCKED_OUT, e.errorCode());
  }

  @Test
  void aDownloadCutByADisconnectClosesItsFileAndLogsTheCut() throws Exception {
    Home home = files.home("bob");
    Path file = home.root().resolve("big.bin");
    Files.write(file, new byte[4096]);
    Download download = Download.open(home, "/big.bin", new HashCache());
    assertEquals(1, openHandlesOf(file), "the download holds the file open");
    RecordingPeer peer = new RecordingPeer(ADDRESS);
    Session session = new Session(services, peer);
    session.moveTo(new SessionState.Sending(new Login("bob", "1", home, "/"), download));

    session.onClose();

    assertEquals(0, openHandlesOf(file), "the file is closed");
    assertEquals(1, transferLines.list.size());
    JsonNode line = new ObjectMapper().readTree(transferLines.list.get(0).getFormattedMessage());
    assertEquals("download", line.get("direction").asText());
    assertEquals("/big.bin", line.get("path").asText());
    assertEquals("disconnected", line.get("result").asText());
    assertEquals(ADDRESS, line.get("address").asText());
  }

  @Test
  void aRequestPipelinedBehindTheRemovedAccountsRefusalGetsTheSameRefusal() throws Exception {
    RecordingPeer peer = new RecordingPeer(ADDRESS);
    Session session = new Session(services, peer);
    session.moveTo(new SessionState.Ready(new Login("gone", "1", files.home("gone"), "/")));
    session.onFrame(payload(new Request.PrintDir()));
    session.onFrame(payload(new Request.PrintDir())); // already on its way when the first was refused
    assertEquals(2, peer.sent.size());
    for (Response r : peer.sent) {
      Response.Error e = assertInstanceOf(Response.Error.class, r);
      assertEquals(ErrorCode.NOT_LOGGED_IN, e.errorCode());
      assertEquals("your account was removed; log in again", e.message());
    }
    assertTrue(peer.closing);
  }

  /** How many of this process's descriptors point at {@code file} (Linux's /proc). */
  private static long openHandlesOf(Path file) throws IOException {
    Path real = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).equals(real);
        } catch (IOException e) {
          return false; // the listing's own descriptor, closed by now
        }
      }).count();
    }
  }
}
