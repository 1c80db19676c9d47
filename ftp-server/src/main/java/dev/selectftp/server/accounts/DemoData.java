package dev.selectftp.server.accounts;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Seeds a fresh data folder with a demo account and a few files, so a first run can be tried at once.
 */
public final class DemoData {
  public static final String DEMO_USER = "xiaoyu";
  /** Deliberately weak and published in the docs: it exists only to try the server out. */
  public static final String DEMO_PASSWORD = "123456";
  public static final int SAMPLE_BIN_BYTES = 64 * 1024;
  /** Fixed so that sample.bin is byte-identical on every machine and checksums can be compared. */
  private static final long SAMPLE_SEED = 0x5E1EC7F7_2025L;

  static final String WELCOME = """
      Welcome to SelectFTP!

      This is the demo account "xiaoyu" (password 123456), created because the data folder was empty.
      Try listing, downloading and uploading files here; your home is this folder and you cannot leave it.
      Register your own account from the client, and remove this one with the admin command when done.
      """;
  static final String TODO = """
      # To do

      - [x] start the server
      - [ ] log in as xiaoyu
      - [ ] download sample.bin and compare its SHA-256
      - [ ] upload a file of your own
      """;

  private DemoData() {}

  /**
   * When {@code <dataDir>/users.json} does not exist yet, registers {@value #DEMO_USER} /
   * {@value #DEMO_PASSWORD} with {@code accounts}' iteration count and writes {@code welcome.txt},
   * {@code notes/todo.md} and {@code sample.bin} into its home.
   *
   * @return true when it seeded; false when there already was a users file (or another process seeded first)
   */
  public static boolean seedIfFresh(Accounts accounts, Path dataDir) throws IOException {
    if (Files.exists(dataDir.resolve(UserStore.FILE_NAME))) return false;
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    ScramCredentials credentials = ScramCredentials.derive(DEMO_PASSWORD.toCharArray(), salt, accounts.iterations());
    try {
      accounts.register(DEMO_USER, credentials);
    } catch (Refused e) {
      if (e.code() == Refusal.USER_EXISTS) return false;
      throw new IllegalStateException("the demo account must satisfy the server's own rules", e);
    }
    Path home = accounts.home(DEMO_USER);
    Files.writeString(home.resolve("welcome.txt"), WELCOME, StandardCharsets.UTF_8);
    Files.createDirectories(home.resolve("notes"));
    Files.writeString(home.resolve("notes").resolve("todo.md"), TODO, StandardCharsets.UTF_8);
    Files.write(home.resolve("sample.bin"), sampleBytes());
    return true;
  }

  /** {@value #SAMPLE_BIN_BYTES} pseudo-random bytes from xorshift64, the same everywhere. */
  static byte[] sampleBytes() {
    byte[] out = new byte[SAMPLE_BIN_BYTES];
    long x = SAMPLE_SEED;
    for (int i = 0; i < out.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out[i] = (byte) (x >>> 56);
    }
    return out;
  }
}
