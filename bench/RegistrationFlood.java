import dev.selectftp.client.FtpClient;
import dev.selectftp.client.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bystander's 4 KiB put while REGISTRARS connections register accounts as fast as the server lets them
 * (issue 9: registrations fsynced on the threads that commit uploads made that put take 1.7 s).
 * Run through bench/registration-flood.sh, which starts the server.
 * Usage: java -cp ftp-client.jar RegistrationFlood.java PORT SECONDS REGISTRARS
 */
public class RegistrationFlood {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]);
    long seconds = Long.parseLong(a[1]);
    int registrars = Integer.parseInt(a[2]);
    Duration timeout = Duration.ofSeconds(60);
    Path file = Files.createTempFile("bystander", ".bin");
    Files.write(file, new byte[4096]);
    try (FtpClient c = FtpClient.connect("127.0.0.1", port, timeout)) {
      c.register("bystander", "bystander-pass".toCharArray());
    }
    List<Long> quiet = putLatencies(port, timeout, file, Duration.ofSeconds(3));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger made = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < registrars; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        try (FtpClient c = FtpClient.connect("127.0.0.1", port, timeout)) {
          for (int n = 0; running.get(); n++) {
            try {
              c.register("flood-" + id + "-" + n, "pw".toCharArray());
              made.incrementAndGet();
            } catch (dev.selectftp.client.FtpException e) {
              refused.incrementAndGet();
              Thread.sleep(100);
            }
          }
        } catch (Exception e) {
          System.err.println("registrar " + id + ": " + e);
        }
      });
      th.start();
      threads.add(th);
    }
    List<Long> flooded = putLatencies(port, timeout, file, Duration.ofSeconds(seconds));
    running.set(false);
    for (Thread th : threads) th.join();
    System.out.printf("accounts made %d (refused %d) in %d s by %d connections%n", made.get(), refused.get(),
        seconds, registrars);
    System.out.printf("bystander 4 KiB put: quiet p50 %.1f ms p99 %.1f ms; during the flood p50 %.1f ms p99 %.1f ms "
        + "max %.1f ms (%d puts)%n", pct(quiet, 50), pct(quiet, 99), pct(flooded, 50), pct(flooded, 99),
        pct(flooded, 100), flooded.size());
  }

  private static List<Long> putLatencies(int port, Duration timeout, Path file, Duration during) throws Exception {
    List<Long> out = new ArrayList<>();
    try (FtpClient c = FtpClient.connect("127.0.0.1", port, timeout)) {
      c.login("bystander", "bystander-pass".toCharArray());
      long end = System.nanoTime() + during.toNanos();
      for (int i = 0; System.nanoTime() < end; i++) {
        long t = System.nanoTime();
        c.put(file, "b" + (i % 8) + ".bin", TransferListener.NONE);
        out.add(System.nanoTime() - t);
        Thread.sleep(100);
      }
    }
    return out;
  }

  private static double pct(List<Long> nanos, int p) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    if (s.isEmpty()) return Double.NaN;
    return s.get(Math.min(s.size() - 1, s.size() * p / 100)) / 1e6;
  }
}
