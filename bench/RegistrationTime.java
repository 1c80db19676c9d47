import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.client.FtpClient;
import java.time.Duration;
import java.util.Arrays;

/**
 * Milliseconds per registration through the protocol, one after another on fresh connections: connect, then
 * the timed {@code register} (the client's PBKDF2 at the server's iteration count, the server's write of the
 * account and its home), then quit. Prints one JSON line. Used by bench/accounts.sh on both account backends.
 * Usage: java -cp ftp-client.jar RegistrationTime.java PORT COUNT NAME_PREFIX
 */
public class RegistrationTime {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]);
    int count = Integer.parseInt(a[1]);
    String prefix = a[2];
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      try (FtpClient c = FtpClient.connect("127.0.0.1", port, Duration.ofSeconds(30), ClientTls.off())) {
        long t = System.nanoTime();
        c.register(prefix + i, "reg-pass".toCharArray());
        nanos[i] = System.nanoTime() - t;
        c.quit();
      }
    }
    Arrays.sort(nanos);
    System.out.printf("{\"registrations\":%d,\"meanMs\":%.3f,\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}%n",
        count, Arrays.stream(nanos).average().orElse(0) / 1e6, nanos[count / 2] / 1e6, nanos[count * 9 / 10] / 1e6,
        nanos[count * 99 / 100] / 1e6, nanos[count - 1] / 1e6);
  }
}
