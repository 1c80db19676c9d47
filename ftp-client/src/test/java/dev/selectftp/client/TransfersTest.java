package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and downloads against the real server, checked with an independent SHA-256. */
class TransfersTest {
  private static final int MIB = 1024 * 1024;
  /** Enough to need many 256 KiB chunks and several socket buffers, yet quick. */
  private static final int FEW_MIB = 5 * MIB + 12_345;

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();
  private FtpClient client;

  @BeforeEach
  void logIn() throws Exception {
    client = server.loginDemo();
  }

  @AfterEach
  void closeClient() {
    if (client != null) client.close();
  }

  private static byte[] randomBytes(int n) {
    return TestFiles.randomBytes(n, n);
  }

  private static String sha256(Path file) throws Exception {
    return TestFiles.sha256(file);
  }

  private void roundTrip(int size) throws Exception {
    Path original = Files.write(localDir.resolve("up-" + size + ".bin"), randomBytes(size));
    PutResult put = client.put(original, "stored.bin", TransferListener.NONE);
    assertEquals(size, put.size());
    assertEquals(sha256(original), put.sha256());
    assertEquals("/stored.bin", put.remotePath());

    Path copy = localDir.resolve("down-" + size + ".bin");
    GetResult get = client.get("stored.bin", copy, TransferListener.NONE);
    assertEquals(size, get.size());
    assertEquals(0, get.resumedFrom());
    assertEquals(sha256(original), sha256(copy));
    assertEquals(put.sha256(), get.sha256());
    assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    assertFalse(Files.exists(localDir.resolve(".down-" + size + ".bin.selectftp-part")));
  }

  @Test
  void uploadAndDownloadOfAnEmptyFileHaveTheSameSha256() throws Exception {
    roundTrip(0);
  }

  @Test
  void uploadAndDownloadOfOneByteHaveTheSameSha256() throws Exception {
    roundTrip(1);
  }

  @Test
  void uploadAndDownloadOfAFewMibHaveTheSameSha256() throws Exception {
    roundTrip(FEW_MIB);
  }

  @Test
  void downloadedDemoFileEqualsTheFileOnTheServersDisk() throws Exception {
    Path copy = localDir.resolve("sample.bin");
    GetResult get = client.get("sample.bin", copy, TransferListener.NONE);
    Path onServer = server.home(LiveServer.DEMO_USER).resolve("sample.bin");
    assertEquals(sha256(onServer), sha256(copy));
    assertEquals(Files.size(onServer), get.size());
  }

  @Test
  void uploadReplacesAnExistingFile() throws Exception {
    client.put(Files.write(localDir.resolve("a"), randomBytes(100)), "same.bin", TransferListener.NONE);
    Path second = Files.write(localDir.resolve("b"), randomBytes(200));
    client.put(second, "same.bin", TransferListener.NONE);
    Path copy = localDir.resolve("c");
    client.get("same.bin", copy, TransferListener.NONE);
    assertEquals(sha256(second), sha256(copy));
  }

  @Test
  void downloadResumesFromAnExistingLocalPartial() throws Exception {
    byte[] content = randomBytes(FEW_MIB);
    client.put(Files.write(localDir.resolve("source.bin"), content), "big.bin", TransferListener.NONE);
    Path target = localDir.resolve("big.bin");
    Files.write(localDir.resolve(".big.bin.selectftp-part"), Arrays.copyOf(content, 2 * MIB));

    GetResult get = client.get("big.bin", target, TransferListener.NONE);

    assertEquals(2 * MIB, get.resumedFrom());
    assertArrayEquals(content, Files.readAllBytes(target));
    assertFalse(Files.exists(localDir.resolve(".big.bin.selectftp-part")));
  }

  @Test
  void corruptedLocalPartialRestartsFromZeroAndStillEndsByteIdentical() throws Exception {
    byte[] content = randomBytes(FEW_MIB);
    client.put(Files.write(localDir.resolve("source.bin"), content), "big.bin", TransferListener.NONE);
    byte[] corrupt = Arrays.copyOf(content, 2 * MIB);
    corrupt[MIB] ^= 1;
    Files.write(localDir.resolve(".big.bin.selectftp-part"), corrupt);
    Path target = localDir.resolve("big.bin");

    GetResult get = client.get("big.bin", target, TransferListener.NONE);

    assertEquals(0, get.resumedFrom());
    assertArrayEquals(content, Files.readAllBytes(target));
  }

  @Test
  void localPartialLongerThanTheRemoteFileRestartsFromZero() throws Exception {
    byte[] content = randomBytes(1000);
    client.put(Files.write(localDir.resolve("source.bin"), content), "small.bin", TransferListener.NONE);
    Files.write(localDir.resolve(".small.bin.selectftp-part"), randomBytes(5000));
    Path target = localDir.resolve("small.bin");

    assertEquals(0, client.get("small.bin", target, TransferListener.NONE).resumedFrom());
    assertArrayEquals(content, Files.readAllBytes(target));
  }

  @Test
  void interruptedUploadResumesWhereTheServerStopped() throws Exception {
    byte[] content = randomBytes(FEW_MIB);
    Path local = Files.write(localDir.resolve("big.bin"), content);
    int sentBeforeCut = 3 * MIB;
    sendHalfAnUploadAndHangUp(content, sentBeforeCut);

    PutResult put = putRetryingWhileTheServerStillSeesTheOldSession(local);

    assertEquals(sentBeforeCut, put.resumedFrom(), "the server kept the bytes of the cut upload");
    Path copy = localDir.resolve("copy.bin");
    client.get("big.bin", copy, TransferListener.NONE);
    assertArrayEquals(content, Files.readAllBytes(copy));
  }

  @Test
  void restartModeSendsFromByteZeroEvenWhenTheServerOffersToResume() throws Exception {
    byte[] content = randomBytes(FEW_MIB);
    Path local = Files.write(localDir.resolve("big.bin"), content);
    sendHalfAnUploadAndHangUp(content, 3 * MIB);

    PutResult put = putRetryingWhileTheServerStillSeesTheOldSession(
        () -> client.put(local, "big.bin", PutMode.RESTART, TransferListener.NONE));

    assertEquals(0, put.resumedFrom(), "the server's partial was not used");
    Path copy = localDir.resolve("copy.bin");
    client.get("big.bin", copy, TransferListener.NONE);
    assertArrayEquals(content, Files.readAllBytes(copy));
  }

  @Test
  void abortFromAnotherThreadCancelsTheUploadAndTheServerKeepsAResumablePartial() throws Exception {
    byte[] content = randomBytes(FEW_MIB);
    Path local = Files.write(localDir.resolve("big.bin"), content);
    TransferListener abortAfterOneMib = TestFiles.onProgress(done -> {
      if (done < MIB || client.aborted()) return;
      Thread signal = new Thread(client::abort); // as the SIGINT handler's thread would
      signal.start();
      try {
        signal.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });

    assertThrows(TransferCancelledException.class, () -> client.put(local, "big.bin", abortAfterOneMib));
    assertFalse(client.isOpen());
    assertTrue(client.aborted());

    client = server.loginDemo();
    PutResult put = putRetryingWhileTheServerStillSeesTheOldSession(
        () -> client.put(local, "big.bin", TransferListener.NONE));
    assertTrue(put.resumedFrom() >= MIB, "resumed from " + put.resumedFrom());
    assertEquals(sha256(local), put.sha256());
  }

  @Test
  void abortDuringADownloadKeepsTheLocalPartial() throws Exception {
    byte[] content = randomBytes(FEW_MIB);
    client.put(Files.write(localDir.resolve("source.bin"), content), "big.bin", TransferListener.NONE);
    Path target = localDir.resolve("big.bin");
    TransferListener abortAfterOneMib = TestFiles.onProgress(done -> {
      if (done >= MIB) client.abort();
    });

    assertThrows(TransferCancelledException.class, () -> client.get("big.bin", target, abortAfterOneMib));
    Path partial = localDir.resolve(".big.bin.selectftp-part");
    assertTrue(Files.size(partial) >= MIB, "the partial kept what arrived");
    assertFalse(Files.exists(target));

    client = server.loginDemo();
    GetResult get = client.get("big.bin", target, TransferListener.NONE);
    assertEquals(Files.size(localDir.resolve("source.bin")), get.size());
    assertTrue(get.resumedFrom() >= MIB, "resumed from " + get.resumedFrom());
    assertArrayEquals(content, Files.readAllBytes(target));
  }

  @Test
  void findTellsWhetherANameExistsByListingItsFolder() throws Exception {
    client.mkdir("sub");
    client.put(Files.write(localDir.resolve("k.bin"), new byte[1234]), "sub/k.bin", TransferListener.NONE);
    assertEquals(1234, client.find("sub/k.bin").size());
    assertEquals(1234, client.find("/sub/k.bin").size());
    assertTrue(client.find("sub").dir());
    assertEquals(null, client.find("sub/missing.bin"));
    assertEquals(null, client.find("nowhere/k.bin"), "a missing folder means a missing name");
    assertTrue(client.isOpen());
  }

  /** Plays a client that dies mid-upload, speaking the wire protocol by hand. */
  private void sendHalfAnUploadAndHangUp(byte[] content, int sent) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      readFrame(in); // hello
      ScramClient scram = new ScramClient("xiaoyu", LiveServer.DEMO_PASSWORD);
      write(out, new Request.AuthStart(scram.clientFirst()));
      Response.AuthChallenge challenge = (Response.AuthChallenge) readFrame(in);
      write(out, new Request.AuthFinish(scram.clientFinal(challenge.scram())));
      assertTrue(readFrame(in) instanceof Response.AuthOk);
      write(out, new Request.Put("big.bin", content.length));
      Response.PutReady ready = (Response.PutReady) readFrame(in);
      assertEquals(0, ready.offset());
      write(out, new Request.PutData(0, content.length));
      out.write(content, 0, sent);
      out.flush();
    }
  }

  private PutResult putRetryingWhileTheServerStillSeesTheOldSession(Path local) throws Exception {
    return putRetryingWhileTheServerStillSeesTheOldSession(
        () -> client.put(local, "big.bin", TransferListener.NONE));
  }

  private interface Put {
    PutResult run() throws Exception;
  }

  private PutResult putRetryingWhileTheServerStillSeesTheOldSession(Put put) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      try {
        return put.run();
      } catch (FtpException e) {
        // The server may not have noticed the hang-up yet; "busy" is the documented answer meanwhile.
        if (e.code() != ErrorCode.BUSY || System.nanoTime() > deadline) throw e;
        Thread.sleep(50);
      }
    }
  }

  private static void write(OutputStream out, Request request) throws Exception {
    ByteBuffer frame = MessageCodec.encode(request);
    out.write(frame.array(), 0, frame.limit());
    out.flush();
  }

  private static Response readFrame(DataInputStream in) throws Exception {
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    return MessageCodec.decodeResponse(payload);
  }

  @Test
  void downloadOfAMissingFileFailsWithNotFoundAndLeavesNoPartial() throws Exception {
    Path target = localDir.resolve("ghost.bin");
    FtpException e = assertThrows(FtpException.class, () -> client.get("ghost.bin", target, TransferListener.NONE));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertFalse(Files.exists(localDir.resolve(".ghost.bin.selectftp-part")));
    assertTrue(client.isOpen());
  }

  @Test
  void uploadOverTheQuotaIsRefusedBeforeAnyByteMoves() throws Exception {
    client.close();
    server.restart(config -> config.withDefaultQuotaBytes(64 * 1024));
    client = server.connect();
    client.register("tiny", "pw".toCharArray());
    client.login("tiny", "pw".toCharArray());
    Path big = Files.write(localDir.resolve("big.bin"), randomBytes(100 * 1024));
    FtpException e = assertThrows(FtpException.class, () -> client.put(big, "big.bin", TransferListener.NONE));
    assertEquals(ErrorCode.QUOTA_EXCEEDED, e.code());
    assertTrue(client.isOpen());
    assertEquals(0, client.quota().used());
  }

  @Test
  void listenerHearsStartProgressAndFinish() throws Exception {
    Path local = Files.write(localDir.resolve("p.bin"), randomBytes(FEW_MIB));
    long[] seen = new long[3];
    TransferListener listener = new TransferListener() {
      @Override
      public void started(String name, long total, long resumedFrom) {
        assertEquals("p.bin", name);
        seen[0] = total;
      }

      @Override
      public void progress(long done) {
        assertTrue(done >= seen[1], "progress never goes back");
        seen[1] = done;
      }

      @Override
      public void finished() {
        seen[2]++;
      }
    };
    client.put(local, "p.bin", listener);
    assertArrayEquals(new long[] {FEW_MIB, FEW_MIB, 1}, seen);
  }
}
