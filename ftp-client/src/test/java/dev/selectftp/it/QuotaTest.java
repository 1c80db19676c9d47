package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Per-user quotas under a 1 MiB default, enforced before bytes move and across sessions. */
class QuotaTest {
  private static final long KIB = 1024;
  private static final long LIMIT = 1024 * KIB;
  private static final String USER = "quota-user";
  private static final char[] PASSWORD = "quota-secret".toCharArray();

  @TempDir Path work;
  @RegisterExtension final LiveServer server = LiveServer.withDefaultQuota(LIMIT);
  private Path home;

  @BeforeEach
  void registerOneSmallQuotaUser() throws Exception {
    try (FtpClient client = server.registerAndLogin(USER, PASSWORD)) {
      Response.QuotaInfo quota = client.quota();
      assertEquals(LIMIT, quota.limit(), "new accounts get the server's default quota");
      assertEquals(0, quota.used());
    }
    home = server.home(USER);
  }

  @Test
  void anUploadOverTheQuotaIsRefusedAsTheImmediateAnswerToPutBeforeAnyByteMoves() throws Exception {
    try (RawSession raw = RawSession.login(server, USER, PASSWORD)) {
      Response.Error error = raw.expectError(new Request.Put("big.bin", 2 * LIMIT), ErrorCode.QUOTA_EXCEEDED);
      assertEquals(413, error.status());
      assertFalse(Files.exists(home.resolve("big.bin")));
      assertFalse(Files.exists(TestFiles.partialOf(home.resolve("big.bin"))), "no partial was created");
      try (Stream<Path> files = Files.list(home)) {
        assertEquals(List.of(), files.toList(), "the home is still empty");
      }
      // The session stays in step (no upload is open) and nothing was counted.
      assertEquals(0, raw.call(new Request.QuotaQuery(), Response.QuotaInfo.class).used());
      raw.expectError(new Request.PutData(0, 2 * LIMIT), ErrorCode.WRONG_STATE);
    }
  }

  @Test
  void theLibraryReportsQuotaExceededAndKeepsTheConnection() throws Exception {
    Path local = work.resolve("big.bin");
    TestFiles.writeRandom(local, 31, (int) (2 * LIMIT));
    try (FtpClient client = server.login(USER, PASSWORD)) {
      FtpException refused = assertThrows(FtpException.class, () -> client.put(local, "big.bin",
          TransferListener.NONE));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, refused.code());
      assertTrue(client.isOpen(), "a quota refusal leaves the connection usable");
      assertEquals(0, client.quota().used());
    }
  }

  @Test
  void replacingAFileCountsOnlyTheNewSizeMinusTheOld() throws Exception {
    Path first = work.resolve("v1.bin");
    Path second = work.resolve("v2.bin");
    TestFiles.writeRandom(first, 32, (int) (600 * KIB));
    byte[] v2 = TestFiles.writeRandom(second, 33, (int) (700 * KIB));
    try (FtpClient client = server.login(USER, PASSWORD)) {
      client.put(first, "doc.bin", TransferListener.NONE);
      assertEquals(600 * KIB, client.quota().used());
      // 600 KiB + 700 KiB would not fit; 700 KiB replacing 600 KiB does.
      client.put(second, "doc.bin", TransferListener.NONE);
      assertEquals(700 * KIB, client.quota().used(), "the replaced file's bytes were given back");
      // A different name gets no such credit.
      FtpException refused = assertThrows(FtpException.class,
          () -> client.put(first, "other.bin", TransferListener.NONE));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, refused.code());
    }
    assertEquals(TestFiles.sha256(v2), TestFiles.sha256(home.resolve("doc.bin")));
  }

  @Test
  void twoSessionsRacingForOneQuotaGetExactlyOneReservationAndAnAbortReleasesIt() throws Exception {
    long size = 600 * KIB;
    RawSession a = RawSession.login(server, USER, PASSWORD);
    RawSession b = RawSession.login(server, USER, PASSWORD);
    try {
      // Both requests are on the wire before either answer is read.
      a.send(new Request.Put("a.bin", size));
      b.send(new Request.Put("b.bin", size));
      Response answerA = a.read();
      Response answerB = b.read();
      boolean aWon = answerA instanceof Response.PutReady;
      boolean bWon = answerB instanceof Response.PutReady;
      assertTrue(aWon ^ bWon, "exactly one reservation fits: " + answerA + " / " + answerB);
      RawSession winner = aWon ? a : b;
      RawSession loser = aWon ? b : a;
      Response.Error refusal = assertInstanceOf(Response.Error.class, aWon ? answerB : answerA);
      assertEquals(ErrorCode.QUOTA_EXCEEDED.code(), refusal.code());
      String loserName = aWon ? "b.bin" : "a.bin";
      assertFalse(Files.exists(TestFiles.partialOf(home.resolve(loserName))), "the refused put made no partial");

      // While the winner holds its reservation the loser keeps being refused.
      loser.expectError(new Request.Put(loserName, size), ErrorCode.QUOTA_EXCEEDED);

      // The winner goes away without sending a byte: its reservation must be released.
      winner.close();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Response retry;
      do {
        loser.send(new Request.Put(loserName, size));
        retry = loser.read();
        if (retry instanceof Response.PutReady) break;
        Thread.sleep(20);
      } while (System.nanoTime() < deadline);
      assertInstanceOf(Response.PutReady.class, retry, "after the abort the other session can reserve");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void thePartialOfAnInterruptedUploadCountsTowardTheQuota() throws Exception {
    byte[] bytes = TestFiles.randomBytes(34, (int) (600 * KIB));
    int sent = (int) (300 * KIB);
    ResumeTest.cutUpload(server, USER, PASSWORD, "half.bin", bytes, sent);

    Path local = work.resolve("other.bin");
    TestFiles.writeRandom(local, 35, (int) (800 * KIB));
    try (FtpClient client = server.login(USER, PASSWORD)) {
      assertEquals(sent, client.quota().used(), "the hidden partial's bytes are counted");
      assertTrue(client.list("/").isEmpty(), "yet the partial is not listed");
      // 300 KiB kept + 800 KiB new > 1 MiB: refused only because the partial counts.
      FtpException refused = assertThrows(FtpException.class,
          () -> client.put(local, "other.bin", TransferListener.NONE));
      assertEquals(ErrorCode.QUOTA_EXCEEDED, refused.code());
    }
  }

  @Test
  void quotasArePerUser() throws Exception {
    // The demo user was seeded by the same server: a different account with its own usage.
    Path local = work.resolve("mine.bin");
    TestFiles.writeRandom(local, 36, (int) (900 * KIB));
    try (FtpClient mine = server.login(USER, PASSWORD);
        FtpClient other = server.registerAndLogin("second-user", PASSWORD)) {
      mine.put(local, "mine.bin", TransferListener.NONE);
      assertEquals(900 * KIB, mine.quota().used());
      assertEquals(0, other.quota().used(), "one user's files do not use another's quota");
      other.put(local, "mine.bin", TransferListener.NONE);
      assertEquals(900 * KIB, other.quota().used());
    }
  }


  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aReplacementThatRestartsFromZeroAfterAMismatchStillGetsTheReplacedFilesCredit() throws Exception {
    Path v1 = work.resolve("v1.bin");
    Path v2 = work.resolve("v2.bin");
    TestFiles.writeRandom(v1, 37, (int) (600 * KIB));
    byte[] next = TestFiles.writeRandom(v2, 38, (int) (700 * KIB));
    try (FtpClient client = server.login(USER, PASSWORD)) {
      client.put(v1, "doc.bin", TransferListener.NONE);
    }
    // An interrupted replacement leaves 200 KiB in the partial, which then gets damaged.
    ResumeTest.cutUpload(server, USER, PASSWORD, "doc.bin", next, (int) (200 * KIB));
    Path partial = TestFiles.partialOf(home.resolve("doc.bin"));
    byte[] damaged = Files.readAllBytes(partial);
    damaged[1000] ^= 0x01;
    Files.write(partial, damaged);

    try (FtpClient client = server.login(USER, PASSWORD)) {
      // 700 KiB replacing 600 KiB fits a 1 MiB quota whether or not the partial could be reused.
      dev.selectftp.client.PutResult result = ResumeTest.putWhenFree(client, v2, "doc.bin");
      assertEquals(0, result.resumedFrom(), "the damaged partial was not reused");
      assertEquals(700 * KIB, client.quota().used());
    }
    assertEquals(TestFiles.sha256(next), TestFiles.sha256(home.resolve("doc.bin")));
  }
}
