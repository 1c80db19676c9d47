package dev.selectftp.server.accounts;

import dev.selectftp.common.ScramCredentials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Made-up SCRAM credentials for names that have no account, derived from the server secret so that they are
 * stable per name across restarts. The iteration count is drawn per name from the real users' counts in
 * proportion: were it the configured count, a restart with another {@code --iterations} would set unknown
 * names apart from existing users, who keep the count they registered with.
 */
public final class FabricatedCredentials {
  private static final String HMAC = "HmacSHA256";
  /** 53 random bits make a double in [0, 1). */
  private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

  private final int fallbackIterations;
  private final ThreadLocal<Mac> macs;

  /** {@code fallbackIterations} is shown while there are no users to take counts from. */
  public FabricatedCredentials(byte[] serverSecret, int fallbackIterations) {
    this.fallbackIterations = fallbackIterations;
    this.macs = keyedMacs(serverSecret.clone());
  }

  /** Credentials no password passes, the same for {@code name} whenever the users' mix of counts is the same. */
  public ScramCredentials forName(String name, UserTable.IterationMix mix) {
    byte[] salt = Arrays.copyOf(mac("salt:" + name), ScramCredentials.SALT_BYTES);
    long bits = ByteBuffer.wrap(mac("iterations:" + name)).getLong();
    int iterations = mix.isEmpty() ? fallbackIterations : mix.at((bits >>> 11) * TWO_TO_MINUS_53);
    return new ScramCredentials(salt, iterations, mac("stored-key:" + name), mac("server-key:" + name));
  }

  /**
   * What to challenge {@code name} with: {@code known}'s credentials, or made-up ones. The made-up ones are
   * computed either way, so known and unknown names cost the same time.
   */
  public ScramCredentials challenge(String name, UserTable.IterationMix mix, Optional<User> known) {
    ScramCredentials madeUp = forName(name, mix);
    return known.map(User::credentials).orElse(madeUp);
  }

  private byte[] mac(String data) {
    // doFinal leaves the Mac initialized with the same key, ready for the next call on this thread.
    return macs.get().doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** One Mac per thread: getInstance + init per login showed in the loop's allocations. */
  private static ThreadLocal<Mac> keyedMacs(byte[] secret) {
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(secret, HMAC));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
      }
    });
  }
}
