package dev.selectftp.client;

import dev.selectftp.server.ServerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code FtpServer} on a loopback port over a temporary data folder. Reached by reflection until
 * the server lands on this branch, so that the client's other tests build meanwhile; integration tests
 * are skipped (not failed) while it is missing.
 */
final class TestServer implements AutoCloseable {
  static final String DEMO_USER = "xiaoyu";
  static final char[] DEMO_PASSWORD = "123456".toCharArray();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String SERVER_CLASS = "dev.selectftp.server.FtpServer";

  private final Object server;
  private final int port;

  private TestServer(Object server, int port) {
    this.server = server;
    this.port = port;
  }

  static TestServer start(Path dataDir) throws Exception {
    return start(ServerConfig.forTests(dataDir));
  }

  static TestServer start(ServerConfig config) throws Exception {
    Class<?> type;
    try {
      type = Class.forName(SERVER_CLASS);
    } catch (ClassNotFoundException e) {
      Assumptions.abort(SERVER_CLASS + " is not on this branch yet");
      throw new AssertionError("unreachable");
    }
    try {
      Object server = type.getMethod("start", ServerConfig.class).invoke(null, config);
      int port = (int) type.getMethod("port").invoke(server);
      return new TestServer(server, port);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  int port() {
    return port;
  }

  FtpClient connect() throws Exception {
    return FtpClient.connect("127.0.0.1", port, TIMEOUT);
  }

  FtpClient login(String user, char[] password) throws Exception {
    FtpClient client = connect();
    try {
      client.login(user, password);
      return client;
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  FtpClient loginDemo() throws Exception {
    return login(DEMO_USER, DEMO_PASSWORD);
  }

  @Override
  public void close() throws Exception {
    Method close = server.getClass().getMethod("close");
    close.invoke(server);
  }
}
