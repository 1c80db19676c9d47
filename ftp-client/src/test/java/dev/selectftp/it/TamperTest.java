package dev.selectftp.it;

import static dev.selectftp.testing.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.GetResult;
import dev.selectftp.client.PutResult;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kept bytes that no longer match are never built upon, and a lying commit stores nothing. */
class TamperTest {
  private static final int SIZE = 2 * 1024 * 1024 + 999;
  @TempDir Path work;
  @RegisterExtension final LiveServer server = new LiveServer();

  @Test
  @Timeout(60)
  void aServerPartialWhoseBytesWereAlteredIsDetectedAndTheUploadRestartsFromZero() throws Exception {
    byte[] bytes = TestFiles.randomBytes(21, SIZE);
    int cut = 1024 * 1024 + new Random(21).nextInt(512 * 1024);
    ResumeTest.cutUpload(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, "tampered.bin", bytes, cut);
    Path real = server.home(LiveServer.DEMO_USER).resolve("tampered.bin");
    flipByte(TestFiles.partialOf(real), cut / 2);

    Path local = work.resolve("tampered.bin");
    Files.write(local, bytes);
    try (FtpClient client = server.loginDemo()) {
      PutResult result = ResumeTest.putWhenFree(client, local, "tampered.bin");
      assertEquals(0, result.resumedFrom(), "an altered prefix is never appended to");
      assertEquals(sha256(bytes), result.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(real), "the stored file is the client's, byte for byte");
    assertFalse(Files.exists(TestFiles.partialOf(real)));
  }

  @Test
  @Timeout(60)
  void aLocalPartialWhoseBytesWereAlteredMakesTheServerSendTheWholeFile() throws Exception {
    byte[] bytes = TestFiles.randomBytes(22, SIZE);
    Files.write(server.home(LiveServer.DEMO_USER).resolve("local-tampered.bin"), bytes);
    Path local = work.resolve("local-tampered.bin");
    byte[] prefix = Arrays.copyOf(bytes, 700_000);
    prefix[123_456] ^= 0x5a;
    Files.write(TestFiles.partialOf(local), prefix);

    // The server's own answer, with no client library in between: the client verifies the whole file and
    // retries from zero by itself, which would hide a server that resumed from a prefix it never checked.
    try (RawSession raw = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      Response.GetReady ready = raw.call(
          new Request.Get("local-tampered.bin", prefix.length, sha256(prefix)), Response.GetReady.class);
      assertEquals(0, ready.offset(), "the server itself restarts from 0 for a prefix that differs");
      assertEquals(bytes.length, ready.size());
    }
    try (RawSession raw = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      byte[] honest = Arrays.copyOf(bytes, prefix.length);
      Response.GetReady ready = raw.call(
          new Request.Get("local-tampered.bin", honest.length, sha256(honest)), Response.GetReady.class);
      assertEquals(honest.length, ready.offset(), "a matching prefix is resumed from, so the check decides");
    }

    try (FtpClient client = server.loginDemo()) {
      GetResult result = client.get("local-tampered.bin", local, TransferListener.NONE);
      assertEquals(0, result.resumedFrom(), "the server refused to resume from a prefix that differs");
      assertEquals(sha256(bytes), result.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(local), "the downloaded file is the server's, byte for byte");
    assertFalse(Files.exists(TestFiles.partialOf(local)));
  }

  @Test
  void aPutCommitWithAWrongSha256IsRefusedAndStoresNothingAndDeletesThePartial() throws Exception {
    byte[] bytes = TestFiles.randomBytes(23, 300_000);
    Path real = server.home(LiveServer.DEMO_USER).resolve("liar.bin");
    try (RawSession raw = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      long usedBefore = raw.call(new Request.QuotaQuery(), Response.QuotaInfo.class).used();
      raw.startUploadAndSend("liar.bin", bytes, bytes.length);
      byte[] other = bytes.clone();
      other[0] ^= 1;
      Response.Error error = raw.expectError(new Request.PutCommit(sha256(other)), ErrorCode.CHECKSUM_MISMATCH);
      assertEquals(422, error.status());

      assertFalse(Files.exists(real), "nothing is stored under the real name");
      assertFalse(Files.exists(TestFiles.partialOf(real)), "the unverifiable partial is deleted");
      assertEquals(usedBefore, raw.call(new Request.QuotaQuery(), Response.QuotaInfo.class).used(),
          "the refused upload costs no quota");
      Response.Listing listing = raw.call(new Request.List("/"), Response.Listing.class);
      assertTrue(listing.entries().stream().noneMatch(e -> e.name().contains("liar")), listing.toString());

      // The session is still usable, and the honest commit of the same bytes then succeeds.
      raw.startUploadAndSend("liar.bin", bytes, bytes.length);
      Response.PutDone done = raw.call(new Request.PutCommit(sha256(bytes)), Response.PutDone.class);
      assertEquals(sha256(bytes), done.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(real));
  }

  @Test
  void aWrongSha256NeverReplacesAnExistingFile() throws Exception {
    Path real = server.home(LiveServer.DEMO_USER).resolve("keep.bin");
    byte[] original = TestFiles.writeRandom(real, 24, 100_000);
    byte[] replacement = TestFiles.randomBytes(25, 120_000);
    try (RawSession raw = RawSession.login(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD)) {
      raw.startUploadAndSend("keep.bin", replacement, replacement.length);
      raw.expectError(new Request.PutCommit(sha256(original)), ErrorCode.CHECKSUM_MISMATCH);
    }
    assertArrayEquals(original, Files.readAllBytes(real), "the old file is untouched");
    assertFalse(Files.exists(TestFiles.partialOf(real)));
  }

  private static void flipByte(Path file, long position) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      channel.write(one, position);
    }
  }
}
