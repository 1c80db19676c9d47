import dev.selectftp.client.FtpClient;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the server's longest loop pass while one big upload and one big download run and other clients
 * log in, list and quit in a loop. Run through bench/loop-stall.sh, which starts the server.
 * Usage: java -cp ftp-client.jar LoopStall.java PORT USER PASSWORD UPLOAD_FILE DOWNLOAD_NAME LOCAL_DIR BROWSERS
 */
public class LoopStall {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]);
    String user = a[1];
    char[] password = a[2].toCharArray();
    Path upload = Path.of(a[3]);
    String downloadName = a[4];
    Path localDir = Path.of(a[5]);
    int browsers = Integer.parseInt(a[6]);
    Duration timeout = Duration.ofSeconds(30);

    try (FtpClient probe = FtpClient.connect("127.0.0.1", port, timeout)) {
      probe.stats(); // resets the server's pass figures
    }
    AtomicBoolean running = new AtomicBoolean(true);
    List<Long> browseMicros = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    double[] upSeconds = new double[1];
    double[] downSeconds = new double[1];
    Thread up = new Thread(() -> {
      try (FtpClient c = FtpClient.connect("127.0.0.1", port, timeout)) {
        c.login(user, password);
        long t = System.nanoTime();
        c.put(upload, upload.getFileName().toString(), TransferListener.NONE);
        upSeconds[0] = (System.nanoTime() - t) / 1e9;
      } catch (Exception e) {
        e.printStackTrace();
      }
    });
    Thread down = new Thread(() -> {
      try (FtpClient c = FtpClient.connect("127.0.0.1", port, timeout)) {
        c.login(user, password);
        long t = System.nanoTime();
        c.get(downloadName, localDir.resolve(downloadName), TransferListener.NONE);
        downSeconds[0] = (System.nanoTime() - t) / 1e9;
      } catch (Exception e) {
        e.printStackTrace();
      }
    });
    for (int i = 0; i < browsers; i++) {
      threads.add(new Thread(() -> {
        while (running.get()) {
          long t = System.nanoTime();
          try (FtpClient c = FtpClient.connect("127.0.0.1", port, timeout)) {
            c.login(user, password);
            c.list(null);
            c.quit();
          } catch (Exception e) {
            e.printStackTrace();
          }
          browseMicros.add((System.nanoTime() - t) / 1000);
        }
      }));
    }
    up.start();
    down.start();
    threads.forEach(Thread::start);
    up.join();
    down.join();
    running.set(false);
    for (Thread t : threads) t.join();
    Response.ServerStats stats;
    try (FtpClient probe = FtpClient.connect("127.0.0.1", port, timeout)) {
      stats = probe.stats();
    }
    List<Long> sorted = new ArrayList<>(browseMicros);
    Collections.sort(sorted);
    long size = Files.size(upload);
    System.out.printf("upload   %.2f s  %.0f MiB/s%n", upSeconds[0], size / 1048576.0 / upSeconds[0]);
    long dsize = Files.size(localDir.resolve(downloadName));
    System.out.printf("download %.2f s  %.0f MiB/s%n", downSeconds[0], dsize / 1048576.0 / downSeconds[0]);
    System.out.printf("login+list+quit during transfers: %d runs, median %.2f ms, p99 %.2f ms, max %.2f ms%n",
        sorted.size(), sorted.get(sorted.size() / 2) / 1000.0,
        sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1000.0,
        sorted.get(sorted.size() - 1) / 1000.0);
    System.out.printf("server loop: %d passes, longest %d us, p99 %d us, heap %d MiB%n", stats.loopPasses(),
        stats.maxPassMicros(), stats.p99PassMicros(), stats.heapUsedBytes() >> 20);
    System.out.printf("{\"uploadMiBps\":%.1f,\"downloadMiBps\":%.1f,\"browseMedianMs\":%.2f,\"maxPassMicros\":%d,"
        + "\"p99PassMicros\":%d}%n", size / 1048576.0 / upSeconds[0], dsize / 1048576.0 / downSeconds[0],
        sorted.get(sorted.size() / 2) / 1000.0, stats.maxPassMicros(), stats.p99PassMicros());
  }
}
