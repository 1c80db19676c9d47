package dev.selectftp.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.accounts.Accounts;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin command changes the users file while a server runs on the same data folder; the server picks
 * the change up without a restart (it re-checks the file at most once per {@link Accounts#REFRESH_INTERVAL_NANOS}).
 */
class RunningServerTest {
  /** A little more than the server's refresh interval. */
  private static final long NOTICE_MILLIS = TimeUnit.NANOSECONDS.toMillis(Accounts.REFRESH_INTERVAL_NANOS) + 300;

  @TempDir
  Path data;

  private FtpServer server;

  @BeforeEach
  void start() throws IOException {
    server = FtpServer.start(ServerConfig.forTests(data));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void addedUserLogsInAndQuotaChangeReachesTheRunningServer() throws Exception {
    Cli.Result add = Cli.user(data, "s3cret pass\n", "add", "carol");
    assertEquals(0, add.code(), add::toString);
    Thread.sleep(NOTICE_MILLIS);

    try (Client c = new Client(server.port())) {
      assertInstanceOf(Response.AuthOk.class, c.login("carol", "s3cret pass"));
      Response.QuotaInfo before = assertInstanceOf(Response.QuotaInfo.class, c.call(new Request.QuotaQuery()));
      assertEquals(1L << 30, before.limit());

      Cli.Result quota = Cli.user(data, "", "quota", "carol", "5MiB");
      assertEquals(0, quota.code(), quota::toString);
      Thread.sleep(NOTICE_MILLIS);
      Response.QuotaInfo after = assertInstanceOf(Response.QuotaInfo.class, c.call(new Request.QuotaQuery()));
      assertEquals(5L << 20, after.limit(), "same session, no restart");
    }
  }

  @Test
  void passwordChangeAndRemovalReachTheRunningServer() throws Exception {
    assertEquals(0, Cli.user(data, "old\n", "add", "dave").code());
    Thread.sleep(NOTICE_MILLIS);
    try (Client c = new Client(server.port())) {
      assertInstanceOf(Response.AuthOk.class, c.login("dave", "old"));
    }

    assertEquals(0, Cli.user(data, "new\n", "passwd", "dave").code());
    Thread.sleep(NOTICE_MILLIS);
    try (Client c = new Client(server.port())) {
      assertInstanceOf(Response.AuthOk.class, c.login("dave", "new"));
    }

    Cli.Result remove = Cli.user(data, "", "remove", "dave", "--delete-home");
    assertEquals(0, remove.code(), remove::toString);
    Thread.sleep(NOTICE_MILLIS);
    try (Client c = new Client(server.port())) {
      Response refused = c.login("dave", "new");
      Response.Error error = assertInstanceOf(Response.Error.class, refused, refused::toString);
      assertTrue(error.status() >= 400, refused::toString);
    }
  }

  @Test
  void userListSeesTheDemoUserTheServerSeeded() {
    Cli.Result list = Cli.user(data, "", "list");
    assertEquals(0, list.code(), list::toString);
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("xiaoyu ") && l.endsWith("KiB")), list::toString);
  }

  /** A raw-socket client: frames are a 4-byte big-endian length and that many bytes of JSON. */
  private static final class Client implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    Client(int port) throws Exception {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(15_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      assertInstanceOf(Response.Hello.class, read());
    }

    Response call(Request request) throws Exception {
      ByteBuffer frame = MessageCodec.encode(request);
      out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
      out.flush();
      return read();
    }

    Response read() throws Exception {
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      return MessageCodec.decodeResponse(payload);
    }

    /** The final answer of a SCRAM login: auth-ok (server signature checked) or the error. */
    Response login(String user, String password) throws Exception {
      ScramClient scram = new ScramClient(user, password.toCharArray());
      Response challenge = call(new Request.AuthStart(scram.clientFirst()));
      if (!(challenge instanceof Response.AuthChallenge c)) return challenge;
      Response result = call(new Request.AuthFinish(scram.clientFinal(c.scram())));
      if (result instanceof Response.AuthOk ok) scram.verifyServerFinal(ok.scram());
      return result;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
