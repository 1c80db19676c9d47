package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.DemoData;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's transitions after login, over loopback against a real server (demo account): an upload
 * through every state, a download streamed out, errors that do not close a logged-in session, a session
 * that lost its account, and an upload cut off mid-way that leaves its partial and lets its name go.
 */
class SessionLoopbackTest {
  private static final String PASSWORD = "123456";
  @TempDir Path dir;
  private FtpServer server;

  /** A bare SelectFTP client: frames in, frames out, raw bytes in between. */
  private static final class Client implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    Client(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      assertInstanceOf(Response.Hello.class, next());
    }

    void send(Request request) throws IOException {
      ByteBuffer frame = MessageCodec.encode(request);
      out.write(frame.array(), 0, frame.remaining());
      out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    Response next() throws IOException {
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      try {
        return MessageCodec.decodeResponse(payload);
      } catch (ProtocolException e) {
        throw new AssertionError(e);
      }
    }

    <T extends Response> T expect(Class<T> type) throws IOException {
      Response r = next();
      return assertInstanceOf(type, r, () -> "got " + r);
    }

    ErrorCode expectError() throws IOException {
      return expect(Response.Error.class).errorCode();
    }

    Client login() throws IOException, ProtocolException {
      ScramClient scram = new ScramClient(DemoData.DEMO_USER, PASSWORD.toCharArray());
      send(new Request.AuthStart(scram.clientFirst()));
      send(new Request.AuthFinish(scram.clientFinal(expect(Response.AuthChallenge.class).scram())));
      scram.verifyServerFinal(expect(Response.AuthOk.class).scram());
      return this;
    }

    boolean closedByServer() throws IOException {
      try {
        return in.read() < 0;
      } catch (java.net.SocketException e) {
        return true;
      }
    }

    @Override public void close() throws IOException {
      socket.close();
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = FtpServer.start(ServerConfig.forTests(dir));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private Path homeFile(String name) {
    return dir.resolve("home").resolve(DemoData.DEMO_USER).resolve(name);
  }

  @Test
  void anUploadGoesFromOfferToDataToCommitAndTheSessionIsReadyAgain() throws Exception {
    byte[] content = "twelve bytes".getBytes(StandardCharsets.UTF_8);
    try (Client c = new Client(server.port()).login()) {
      c.send(new Request.Put("/up.txt", content.length));
      assertEquals(0, c.expect(Response.PutReady.class).offset());
      c.send(new Request.PrintDir());
      assertEquals(ErrorCode.WRONG_STATE, c.expectError(), "offered: only put-data");
      c.send(new Request.PutData(0, content.length));
      c.sendRaw(content);
      c.send(new Request.PrintDir());
      assertEquals(ErrorCode.WRONG_STATE, c.expectError(), "all bytes in: only put-commit");
      c.send(new Request.PutCommit(sha256(content)));
      assertEquals(content.length, c.expect(Response.PutDone.class).size());
      c.send(new Request.PrintDir());
      assertEquals("/", c.expect(Response.Cwd.class).path());
    }
    assertArrayEquals(content, Files.readAllBytes(homeFile("up.txt")));
  }

  /** On the local disk an upload is never held back: one arriving in many reads is stored whole (no S3 backlog). */
  @Test
  void anUploadArrivingInManyReadsOnTheLocalDiskIsStoredWhole() throws Exception {
    byte[] content = new byte[4 << 20];
    new java.util.Random(5).nextBytes(content);
    try (Client c = new Client(server.port()).login()) {
      c.send(new Request.Put("/many.bin", content.length));
      c.expect(Response.PutReady.class);
      c.send(new Request.PutData(0, content.length));
      c.sendRaw(content);
      c.send(new Request.PutCommit(sha256(content)));
      assertEquals(content.length, c.expect(Response.PutDone.class).size());
    }
    assertArrayEquals(content, Files.readAllBytes(homeFile("many.bin")));
  }

  @Test
  void aDownloadIsStreamedAndTheSessionTakesRequestsAgainAfterIt() throws Exception {
    byte[] content = new byte[300_000];
    new java.util.Random(7).nextBytes(content);
    Files.write(homeFile("big.bin"), content);
    try (Client c = new Client(server.port()).login()) {
      c.send(new Request.Get("/big.bin", 0, null));
      Response.GetReady ready = c.expect(Response.GetReady.class);
      assertEquals(content.length, ready.size());
      byte[] got = new byte[content.length];
      c.in.readFully(got);
      assertArrayEquals(content, got);
      assertEquals(sha256(content), c.expect(Response.GetDone.class).sha256());
      c.send(new Request.PrintDir());
      c.expect(Response.Cwd.class);
    }
  }

  @Test
  void protocolErrorsAfterLoginDoNotCloseTheSession() throws Exception {
    try (Client c = new Client(server.port()).login()) {
      for (int i = 0; i < Session.MAX_ERRORS_BEFORE_LOGIN + 2; i++) {
        c.sendRaw(ByteBuffer.allocate(7).putInt(3).put("{{{".getBytes(StandardCharsets.UTF_8)).array());
        assertEquals(ErrorCode.BAD_JSON, c.expectError());
      }
      c.send(new Request.PrintDir());
      c.expect(Response.Cwd.class);
      c.send(new Request.PrintDir());
      c.expect(Response.Cwd.class); // a handled request leaves the session ready for the next
    }
  }

  @Test
  void aLoggedInSessionTakesFramesLargerThanTheCapBeforeLogin() throws Exception {
    String path = ("/" + "n".repeat(200)).repeat(12); // 2,412 chars: two of them make a frame over 4 KiB
    try (Client c = new Client(server.port()).login()) {
      c.send(new Request.Rename(path, path + "x"));
      assertEquals(ErrorCode.NOT_FOUND, c.expectError(), "the frame is read and its paths looked up");
    }
  }

  @Test
  void aSessionWhoseAccountWasRemovedIsToldSoAndClosed() throws Exception {
    try (Client c = new Client(server.port()).login()) {
      Accounts admin = Accounts.open(dir, 1 << 20, ScramCredentials.MIN_ITERATIONS);
      assertTrue(admin.remove(DemoData.DEMO_USER).isPresent());
      Thread.sleep(Duration.ofNanos(Accounts.REFRESH_INTERVAL_NANOS).toMillis() + 200);
      c.send(new Request.PrintDir());
      assertEquals(ErrorCode.NOT_LOGGED_IN, c.expectError());
      assertTrue(c.closedByServer());
    }
  }

  @Test
  void anUploadCutOffMidwayKeepsItsBytesAndFreesItsNameForTheNextSession() throws Exception {
    byte[] content = new byte[10_000];
    new java.util.Random(3).nextBytes(content);
    try (Client first = new Client(server.port()).login()) {
      first.send(new Request.Put("/cut.bin", content.length));
      first.expect(Response.PutReady.class);
      first.send(new Request.PutData(0, content.length));
      first.sendRaw(java.util.Arrays.copyOf(content, 4_000));
      first.send(new Request.PrintDir()); // the server takes these 7 + 4 bytes as raw data as well
      Thread.sleep(300);
    }
    long kept = 4_000 + MessageCodec.encode(new Request.PrintDir()).remaining();
    try (Client second = new Client(server.port()).login()) {
      long offered = -1;
      for (int attempt = 0; attempt < 50 && offered < 0; attempt++) {
        second.send(new Request.Put("/cut.bin", content.length));
        Response r = second.next();
        if (r instanceof Response.PutReady ready) offered = ready.offset();
        else Thread.sleep(100); // the first session's end is still being settled
      }
      assertEquals(kept, offered, "the cut upload's bytes were kept for a resume");
    }
  }

  @Test
  void aSessionOfARemovedAccountCannotTouchTheFilesOfTheNewAccountOfTheSameName() throws Exception {
    try (Client old = new Client(server.port()).login()) {
      Accounts admin = Accounts.open(dir, 1 << 20, ScramCredentials.MIN_ITERATIONS);
      assertTrue(admin.remove(DemoData.DEMO_USER).isPresent());
      Thread.sleep(1_100 - System.currentTimeMillis() % 1_000); // creation stamps have whole seconds
      admin.create(DemoData.DEMO_USER, ScramCredentials.derive("other".toCharArray(), new byte[16],
          ScramCredentials.MIN_ITERATIONS));
      Path newcomers = Files.createDirectories(homeFile("x").getParent()).resolve("theirs.txt");
      Files.writeString(newcomers, "not yours");
      Thread.sleep(Duration.ofNanos(Accounts.REFRESH_INTERVAL_NANOS).toMillis() + 200);
      old.send(new Request.Delete("/theirs.txt"));
      assertEquals(ErrorCode.NOT_LOGGED_IN, old.expectError());
      Thread.sleep(300);
      assertTrue(Files.exists(newcomers), "the old session deleted the newcomer's file");
    }
  }
}
