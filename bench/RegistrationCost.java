import dev.selectftp.common.ScramCredentials;
import dev.selectftp.server.accounts.Accounts;
import dev.selectftp.server.accounts.User;
import dev.selectftp.server.accounts.UserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Time per registration (what one `register` request costs the accounts thread) with N users already on
 * disk. Uses only API that exists before and after issue 9, so the same file measures both jars.
 * Usage: java -cp ftp-server.jar RegistrationCost.java DATA_DIR EXISTING_USERS REGISTRATIONS
 */
public class RegistrationCost {
  public static void main(String[] a) throws Exception {
    Path data = Path.of(a[0]);
    int existing = Integer.parseInt(a[1]);
    int registrations = Integer.parseInt(a[2]);
    Files.createDirectories(data);
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    ScramCredentials creds = ScramCredentials.derive("pw".toCharArray(), salt, ScramCredentials.MIN_ITERATIONS);
    List<User> users = new ArrayList<>();
    for (int i = 0; i < existing; i++) users.add(new User("existing" + i, creds, 1L << 30, "2025-01-01T00:00:00Z"));
    new UserStore(data).save(users);
    Accounts accounts = Accounts.open(data, 1L << 30, ScramCredentials.MIN_ITERATIONS);
    long[] nanos = new long[registrations];
    for (int i = 0; i < registrations; i++) {
      long t = System.nanoTime();
      accounts.register("new" + i, creds);
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
    System.out.printf("existing=%d registrations=%d mean=%.2f ms p50=%.2f ms p99=%.2f ms max=%.2f ms%n", existing,
        registrations, mean, nanos[registrations / 2] / 1e6, nanos[registrations * 99 / 100] / 1e6,
        nanos[registrations - 1] / 1e6);
  }
}
