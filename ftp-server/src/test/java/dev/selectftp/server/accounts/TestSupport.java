package dev.selectftp.server.accounts;

import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Shared helpers: cheap credentials, a complete SCRAM login, and a clock the test moves by hand. */
public final class TestSupport {
  static final int ITERATIONS = ScramCredentials.MIN_ITERATIONS;
  static final long QUOTA = 1L << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestSupport() {}

  static ScramCredentials credentials(String password) {
    return credentials(password, ITERATIONS);
  }

  static ScramCredentials credentials(String password, int iterations) {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    RANDOM.nextBytes(salt);
    return ScramCredentials.derive(password.toCharArray(), salt, iterations);
  }

  /** Runs a whole exchange as client and server would; true when both sides accept. */
  public static boolean login(String user, String password, ScramCredentials stored) throws ProtocolException {
    ScramClient client = new ScramClient(user, password.toCharArray());
    ScramServer server = ScramServer.start(ScramServer.parseClientFirst(client.clientFirst()), stored);
    Optional<String> serverFinal = server.finish(client.clientFinal(server.serverFirst()));
    if (serverFinal.isEmpty()) return false;
    client.verifyServerFinal(serverFinal.get());
    return true;
  }

  /** A monotonic clock that only moves when told to; starts away from zero to catch sign mistakes. */
  static final class FakeClock implements LongSupplier {
    private final AtomicLong nanos = new AtomicLong(-TimeUnit.DAYS.toNanos(1));

    @Override
    public long getAsLong() {
      return nanos.get();
    }

    void advance(java.time.Duration by) {
      nanos.addAndGet(by.toNanos());
    }
  }
}
