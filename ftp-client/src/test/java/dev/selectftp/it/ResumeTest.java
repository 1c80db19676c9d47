package dev.selectftp.it;

import static dev.selectftp.testing.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.GetResult;
import dev.selectftp.client.PutResult;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Interrupted transfers pick up where they stopped, in both directions, and end byte-identical. */
class ResumeTest {
  static final int SIZE = 3 * 1024 * 1024 + 12_345;

  @TempDir Path work;
  @RegisterExtension final LiveServer server = new LiveServer();

  @Test
  void aCutUploadLeavesNothingUnderTheRealNameAndNoPartialInTheListing() throws Exception {
    byte[] bytes = TestFiles.randomBytes(6, SIZE);
    int cut = 1 + new Random(41).nextInt(SIZE - 2);
    Path real = server.home(LiveServer.DEMO_USER).resolve("cut-up.bin");

    cutUpload(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, "cut-up.bin", bytes, cut);

    assertFalse(Files.exists(real), "a cut upload never leaves anything under the real name");
    assertArrayEquals(Arrays.copyOf(bytes, cut), Files.readAllBytes(TestFiles.partialOf(real)),
        "the hidden partial holds exactly the prefix that was sent");
    try (FtpClient client = server.loginDemo()) {
      List<Response.Entry> listing = client.list("/");
      assertTrue(listing.stream().noneMatch(e -> e.name().contains("cut-up")),
          "neither the unfinished file nor its hidden partial is listed: " + listing);
      FtpException missing = org.junit.jupiter.api.Assertions.assertThrows(FtpException.class,
          () -> client.get("cut-up.bin", work.resolve("cut-up.bin"), TransferListener.NONE));
      assertEquals(ErrorCode.NOT_FOUND, missing.code(), "the unfinished file cannot be downloaded");
    }
  }

  @Test
  @Timeout(60)
  void anUploadCutAtARandomPointResumesFromTheBytesTheServerKeptAndEndsIdentical() throws Exception {
    byte[] bytes = TestFiles.randomBytes(7, SIZE);
    int cut = 1 + new Random(42).nextInt(SIZE - 2);
    Path real = server.home(LiveServer.DEMO_USER).resolve("resume-up.bin");
    cutUpload(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, "resume-up.bin", bytes, cut);
    assertFalse(Files.exists(real), "nothing under the real name while cut");
    Path local = work.resolve("resume-up.bin");
    Files.write(local, bytes);

    try (FtpClient client = server.loginDemo()) {
      PutResult result = putWhenFree(client, local, "resume-up.bin");
      assertEquals(cut, result.resumedFrom(), "the upload resumed from the bytes the server kept");
      assertEquals(sha256(bytes), result.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(real), "the resumed file is byte-identical");
    assertFalse(Files.exists(TestFiles.partialOf(real)), "the partial was published");
  }

  @Test
  @Timeout(60)
  void aDownloadCutAtARandomPointResumesFromTheLocalPartialAndEndsIdentical() throws Exception {
    byte[] bytes = TestFiles.randomBytes(8, SIZE);
    int cut = 1 + new Random(43).nextInt(SIZE - 2);
    Files.write(server.home(LiveServer.DEMO_USER).resolve("resume-down.bin"), bytes);
    Path local = work.resolve("resume-down.bin");
    Path localPartial = TestFiles.partialOf(local);
    // What a client killed mid-download leaves behind.
    Files.write(localPartial, Arrays.copyOf(bytes, cut));

    try (FtpClient client = server.loginDemo()) {
      GetResult result = client.get("resume-down.bin", local, TransferListener.NONE);
      assertEquals(cut, result.resumedFrom(), "the download resumed from the local partial");
      assertEquals(SIZE, result.size());
      assertEquals(sha256(bytes), result.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(local), "the resumed download is byte-identical");
    assertFalse(Files.exists(localPartial), "the local partial was renamed into place");
  }

  @Test
  void aDownloadCutByTheClientLeavesOnlyAHiddenLocalPartialHoldingAPrefix() throws Exception {
    byte[] bytes = TestFiles.randomBytes(9, SIZE);
    Files.write(server.home(LiveServer.DEMO_USER).resolve("cut-down.bin"), bytes);
    Path local = work.resolve("cut-down.bin");

    long kept = cutDownload(server, "cut-down.bin", local, 1024 * 1024);

    assertFalse(Files.exists(local), "an interrupted download never shows under the real name");
    assertTrue(kept >= 1024 * 1024 && kept < SIZE, "a partial of " + kept + " bytes was kept");
    assertArrayEquals(Arrays.copyOf(bytes, (int) kept), Files.readAllBytes(TestFiles.partialOf(local)),
        "the local partial holds exactly the file's first bytes");
  }

  @Test
  @Timeout(60)
  void aDownloadCutByTheClientResumesWithTheLibraryAlone() throws Exception {
    byte[] bytes = TestFiles.randomBytes(10, SIZE);
    Files.write(server.home(LiveServer.DEMO_USER).resolve("cut-down2.bin"), bytes);
    Path local = work.resolve("cut-down2.bin");
    long kept = cutDownload(server, "cut-down2.bin", local, 1024 * 1024);

    try (FtpClient client = server.loginDemo()) {
      GetResult result = client.get("cut-down2.bin", local, TransferListener.NONE);
      assertEquals(kept, result.resumedFrom());
      assertEquals(sha256(bytes), result.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(local));
  }

  /**
   * A raw client logs in, starts uploading {@code bytes} to {@code name}, sends only {@code cut} of them
   * and disconnects; returns once the server has persisted all {@code cut} bytes in the hidden partial.
   */
  static void cutUpload(LiveServer server, String user, char[] password, String name, byte[] bytes, int cut)
      throws Exception {
    try (RawSession raw = RawSession.login(server, user, password)) {
      raw.startUploadAndSend(name, bytes, cut);
    }
    Path partial = TestFiles.partialOf(server.home(user).resolve(name));
    TestFiles.await("the server persisted the " + cut + " bytes sent", Duration.ofSeconds(10),
        () -> TestFiles.sizeOrMissing(partial) == cut);
  }

  /** Downloads with the library and closes the client from inside once {@code stopAt} bytes are in place. */
  static long cutDownload(LiveServer server, String remote, Path local, long stopAt) throws Exception {
    FtpClient client = server.loginDemo();
    try {
      client.get(remote, local, new Cutter(client, stopAt));
      throw new AssertionError("the download should have been cut");
    } catch (IOException expected) {
      // the listener closed the connection mid-download
    } finally {
      client.close();
    }
    return TestFiles.sizeOrMissing(TestFiles.partialOf(local));
  }

  /** Retries while the server still holds a cut session's name lock (it has not seen the close yet). */
  static PutResult putWhenFree(FtpClient client, Path local, String remote) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return client.put(local, remote, TransferListener.NONE);
      } catch (FtpException e) {
        if (e.code() != ErrorCode.BUSY || attempt > 200) throw e;
        Thread.sleep(10);
      }
    }
  }

  /** Closes the client from inside the transfer once {@code limit} bytes are in place. */
  static final class Cutter implements TransferListener {
    private final FtpClient client;
    private final long limit;

    Cutter(FtpClient client, long limit) {
      this.client = client;
      this.limit = limit;
    }

    @Override
    public void started(String name, long total, long resumedFrom) {}

    @Override
    public void progress(long done) {
      if (done >= limit) client.close();
    }

    @Override
    public void finished() {
      throw new AssertionError("the transfer should have been cut");
    }
  }
}
