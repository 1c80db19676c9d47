package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's half of the protocol, against a scripted server. */
class ClientProtocolTest {
  private static final char[] PASSWORD = "secret".toCharArray();
  private static final String WRONG_HASH = "0".repeat(64);

  @TempDir Path dir;

  private static String sha256(byte[] bytes, int length) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(bytes, 0, length);
    return HexFormat.of().formatHex(digest.digest());
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  @Test
  void registerSendsASixteenByteSaltAndTheServersIterations() throws Exception {
    try (FakeServer server = FakeServer.start(peer -> {
      Request.Register register = peer.read(Request.Register.class);
      assertEquals("bob", register.user());
      assertEquals(FakeServer.ITERATIONS, register.iterations());
      assertEquals(ScramCredentials.SALT_BYTES, Base64.getDecoder().decode(register.salt()).length);
      peer.send(new Response.Ok(201, "registered bob"));
    }); FtpClient client = server.connect()) {
      client.register("bob", PASSWORD);
      server.awaitScript();
    }
  }

  @Test
  void loginSucceedsWhenTheServerProvesItKnowsTheKeys() throws Exception {
    ScramCredentials keys = ScramCredentials.derive(PASSWORD, randomBytes(16), FakeServer.ITERATIONS);
    try (FakeServer server = FakeServer.start(peer -> scramExchange(peer, keys)); FtpClient client = server.connect()) {
      client.login("bob", PASSWORD);
      assertEquals("bob", client.user());
      server.awaitScript();
    }
  }

  @Test
  void loginFailsAndDisconnectsWhenTheServerSignatureIsForged() throws Exception {
    ScramCredentials real = ScramCredentials.derive(PASSWORD, randomBytes(16), FakeServer.ITERATIONS);
    // The impostor has the StoredKey (say, from a leaked users file) but not the ServerKey.
    ScramCredentials impostor = new ScramCredentials(real.salt(), real.iterations(), real.storedKey(),
        randomBytes(ScramCredentials.KEY_BYTES));
    try (FakeServer server = FakeServer.start(peer -> scramExchange(peer, impostor));
        FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class, () -> client.login("bob", PASSWORD));
      assertEquals(ErrorCode.AUTH_FAILED, e.code());
      assertNull(client.user());
      assertFalse(client.isOpen());
    }
  }

  private static void scramExchange(FakeServer.Peer peer, ScramCredentials keys) throws Exception {
    Request.AuthStart start = peer.read(Request.AuthStart.class);
    ScramServer scram = ScramServer.start(ScramServer.parseClientFirst(start.scram()), keys);
    peer.send(new Response.AuthChallenge(200, "continue", scram.serverFirst()));
    Request.AuthFinish finish = peer.read(Request.AuthFinish.class);
    String serverFinal = scram.finish(finish.scram()).orElseThrow();
    peer.send(new Response.AuthOk(200, "welcome", serverFinal, "bob"));
  }

  @Test
  void refusalCarriesTheCodeAndLeavesTheConnectionUsable() throws Exception {
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Delete.class);
      peer.send(Response.Error.of(ErrorCode.NOT_FOUND, "no such file: x"));
      peer.read(Request.PrintDir.class);
      peer.send(new Response.Cwd(200, "/", "/"));
    }); FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class, () -> client.delete("x"));
      assertEquals(ErrorCode.NOT_FOUND, e.code());
      assertEquals("no such file: x", e.getMessage());
      assertEquals("/", client.pwd());
      server.awaitScript();
    }
  }

  @Test
  void uploadResumesAfterTheServersMatchingPrefixAndSendsOnlyTheRest() throws Exception {
    byte[] content = randomBytes(700_000);
    Path local = Files.write(dir.resolve("a.bin"), content);
    int held = 300_000;
    try (FakeServer server = FakeServer.start(peer -> {
      Request.Put put = peer.read(Request.Put.class);
      assertEquals(content.length, put.size());
      peer.send(new Response.PutReady(200, "resume", held, sha256(content, held)));
      Request.PutData data = peer.read(Request.PutData.class);
      assertEquals(new Request.PutData(held, content.length - held), data);
      byte[] rest = peer.readRaw(data.length());
      assertArrayEquals(java.util.Arrays.copyOfRange(content, held, content.length), rest);
      Request.PutCommit commit = peer.read(Request.PutCommit.class);
      assertEquals(sha256(content, content.length), commit.sha256());
      peer.send(new Response.PutDone(201, "stored", "/a.bin", content.length, commit.sha256()));
    }); FtpClient client = server.connect()) {
      PutResult result = client.put(local, "a.bin", TransferListener.NONE);
      assertEquals(held, result.resumedFrom());
      assertEquals(sha256(content, content.length), result.sha256());
      server.awaitScript();
    }
  }

  @Test
  void uploadStartsOverWhenTheServersPrefixDiffers() throws Exception {
    byte[] content = randomBytes(5000);
    Path local = Files.write(dir.resolve("a.bin"), content);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Put.class);
      peer.send(new Response.PutReady(200, "resume", 1000, WRONG_HASH));
      Request.PutData data = peer.read(Request.PutData.class);
      assertEquals(new Request.PutData(0, content.length), data);
      assertArrayEquals(content, peer.readRaw(data.length()));
      Request.PutCommit commit = peer.read(Request.PutCommit.class);
      assertEquals(sha256(content, content.length), commit.sha256());
      peer.send(new Response.PutDone(201, "stored", "/a.bin", content.length, commit.sha256()));
    }); FtpClient client = server.connect()) {
      assertEquals(0, client.put(local, "a.bin", TransferListener.NONE).resumedFrom());
      server.awaitScript();
    }
  }

  @Test
  void downloadThatNeverHashesRightIsRetriedOnceThenFailsWithoutLeavingFiles() throws Exception {
    byte[] content = randomBytes(1000);
    try (FakeServer server = FakeServer.start(peer -> {
      for (int attempt = 0; attempt < 2; attempt++) {
        Request.Get get = peer.read(Request.Get.class);
        assertEquals(0, get.offset(), "the retry starts from zero");
        peer.send(new Response.GetReady(200, "sending", content.length, 0, null));
        peer.sendRaw(content, 0, content.length);
        peer.send(new Response.GetDone(200, "sent", WRONG_HASH));
      }
      peer.read(Request.PrintDir.class);
      peer.send(new Response.Cwd(200, "/", "/"));
    }); FtpClient client = server.connect()) {
      Path target = dir.resolve("a.bin");
      FtpException e = assertThrows(FtpException.class, () -> client.get("a.bin", target, TransferListener.NONE));
      assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
      assertFalse(Files.exists(target));
      assertFalse(Files.exists(dir.resolve(".a.bin.selectftp-part")));
      assertEquals("/", client.pwd(), "the connection is still in step");
      server.awaitScript();
    }
  }

  @Test
  void resumeLocalOffersTheLocalFilesLengthAndHashAndAppendsTheRestInPlace() throws Exception {
    byte[] content = randomBytes(700_000);
    int held = 300_000;
    Path target = Files.write(dir.resolve("a.bin"), java.util.Arrays.copyOf(content, held));
    try (FakeServer server = FakeServer.start(peer -> {
      Request.Get get = peer.read(Request.Get.class);
      assertEquals(held, get.offset(), "the local file's length");
      assertEquals(sha256(content, held), get.prefixSha256(), "the local file's hash");
      peer.send(new Response.GetReady(200, "resume", content.length, held, null));
      peer.sendRaw(content, held, content.length - held);
      peer.send(new Response.GetDone(200, "sent", sha256(content, content.length)));
    }); FtpClient client = server.connect()) {
      GetResult result = client.get("a.bin", target, GetMode.RESUME_LOCAL, TransferListener.NONE);
      assertEquals(held, result.resumedFrom());
      assertArrayEquals(content, Files.readAllBytes(target));
      assertFalse(Files.exists(dir.resolve(".a.bin.selectftp-part")), "no partial was involved");
      server.awaitScript();
    }
  }

  @Test
  void anInPlaceResumeThatNeverHashesRightGivesTheLocalFileBackAsItWas() throws Exception {
    byte[] content = randomBytes(5000);
    int held = 1000;
    byte[] prefix = java.util.Arrays.copyOf(content, held);
    Path target = Files.write(dir.resolve("a.bin"), prefix);
    try (FakeServer server = FakeServer.start(peer -> {
      Request.Get first = peer.read(Request.Get.class);
      assertEquals(held, first.offset());
      peer.send(new Response.GetReady(200, "resume", content.length, held, null));
      peer.sendRaw(content, held, content.length - held);
      peer.send(new Response.GetDone(200, "sent", WRONG_HASH));
      Request.Get retry = peer.read(Request.Get.class);
      assertEquals(0, retry.offset(), "the retry trusts nothing local and starts from zero");
      peer.send(new Response.GetReady(200, "sending", content.length, 0, null));
      peer.sendRaw(content, 0, content.length);
      peer.send(new Response.GetDone(200, "sent", WRONG_HASH));
    }); FtpClient client = server.connect()) {
      FtpException e = assertThrows(FtpException.class,
          () -> client.get("a.bin", target, GetMode.RESUME_LOCAL, TransferListener.NONE));
      assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
      assertArrayEquals(prefix, Files.readAllBytes(target), "the bytes that did not hash were cut off again");
      assertFalse(Files.exists(dir.resolve(".a.bin.selectftp-part")));
      server.awaitScript();
    }
  }

  @Test
  void connectionCutMidDownloadKeepsThePartialAndLaterCallsSayConnectionLost() throws Exception {
    byte[] content = randomBytes(10_000);
    try (FakeServer server = FakeServer.start(peer -> {
      peer.read(Request.Get.class);
      peer.send(new Response.GetReady(200, "sending", content.length, 0, null));
      peer.sendRaw(content, 0, 4000);
      peer.hangUp();
    }); FtpClient client = server.connect()) {
      Path target = dir.resolve("a.bin");
      assertThrows(IOException.class, () -> client.get("a.bin", target, TransferListener.NONE));
      server.awaitScript();
      assertFalse(client.isOpen());
      assertFalse(Files.exists(target));
      assertEquals(4000, Files.size(dir.resolve(".a.bin.selectftp-part")));
      IOException later = assertThrows(IOException.class, client::pwd);
      assertTrue(later.getMessage().startsWith("connection lost"), later.getMessage());
    }
  }

  @Test
  void closeIsSafeTwice() throws Exception {
    try (FakeServer server = FakeServer.start(peer -> {}); FtpClient client = server.connect()) {
      client.close();
      client.close();
      assertFalse(client.isOpen());
    }
  }
}
