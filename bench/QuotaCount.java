import dev.selectftp.client.FtpClient;
import dev.selectftp.common.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs in a user whose home holds many entries (the server counts it off the loop at login) while a
 * bystander does pwd round trips, and reports the login time, the bystander's slowest round trip and the
 * server's longest loop pass. Run through bench/quota-count.sh, which fills the home and starts the server.
 * Usage: java -cp ftp-client.jar QuotaCount.java PORT USER PASSWORD
 */
public class QuotaCount {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]);
    Duration timeout = Duration.ofSeconds(120);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong worstNanos = new AtomicLong();
    try (FtpClient bystander = FtpClient.connect("127.0.0.1", port, timeout);
        FtpClient probe = FtpClient.connect("127.0.0.1", port, timeout)) {
      bystander.login("watcher", "watcher-pass".toCharArray());
      probe.stats(); // resets the server's pass figures
      Thread watch = new Thread(() -> {
        try {
          while (running.get()) {
            long t = System.nanoTime();
            bystander.pwd();
            worstNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
            Thread.sleep(1);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      watch.start();
      long t = System.nanoTime();
      try (FtpClient big = FtpClient.connect("127.0.0.1", port, timeout)) {
        big.login(a[1], a[2].toCharArray());
        long loginMillis = (System.nanoTime() - t) / 1_000_000;
        Response.QuotaInfo q = big.quota();
        running.set(false);
        watch.join();
        Response.ServerStats s = probe.stats();
        System.out.printf("login (counted off the loop) %d ms; quota: %s%n", loginMillis, q.message());
        System.out.printf("bystander slowest pwd %.1f ms; server longest loop pass %d us%n",
            worstNanos.get() / 1e6, s.maxPassMicros());
      }
    }
  }
}
