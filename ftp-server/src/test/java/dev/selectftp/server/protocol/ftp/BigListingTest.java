package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of 20,000 entries listed over FTP: the listing arrives whole and in order, the server holds
 * about one page of it at a time (measured as the connections' buffered bytes while it streams), and a
 * bystander's NOOP is answered promptly all along.
 */
class BigListingTest {
  private static final int ENTRIES = 20_000;
  /**
   * Long names make the listing (5 MiB) bigger than the kernel's socket buffers (loopback's send buffer grows
   * to 4 MiB), so a server holding the whole listing could not hide it in the kernel.
   */
  private static final String PADDING = "x".repeat(195);
  /** The client stops reading this long after the first bytes, while the server's holdings are measured. */
  private static final long CLIENT_PAUSE_MILLIS = 500;
  /** What the server may hold for all connections at once: one listing page and a control connection's share. */
  private static final long BOUND_BYTES = ListingPages.MAX_PAGE_BYTES + 64 * 1024;
  /** A bystander's NOOP round trip, at most: generous for a loaded two-core CI machine. */
  private static final long BYSTANDER_MAX_MILLIS = 2_000;
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");
  /** Kept small so the server has to wait for the client between pages. */
  private static final int CLIENT_RECEIVE_BUFFER = 8 * 1024;

  /** Between two measurements: often enough to see a page, rarely enough to leave the CPU to the listing. */
  private static final long WATCH_EVERY_MILLIS = 5;

  @TempDir Path dir;

  private static String name(int i) {
    return String.format("f%05d", i) + PADDING;
  }

  @Test
  void twentyThousandEntriesStreamWholeWithAboutOnePageHeldAndABystanderServed() throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
        FtpLineClient lister = new FtpLineClient(server.ftpPort());
        FtpLineClient bystander = new FtpLineClient(server.ftpPort())) {
      Path big = Files.createDirectories(dir.resolve("home/xiaoyu/big"));
      for (int i = 0; i < ENTRIES; i++) Files.createFile(big.resolve(name(i)));
      lister.login("xiaoyu", "123456");
      bystander.login("xiaoyu", "123456");
      Matcher m = EPSV.matcher(lister.command("EPSV"));
      assertTrue(m.find());
      AtomicBoolean streaming = new AtomicBoolean(true);
      AtomicLong peak = new AtomicLong();
      AtomicLong slowestNoop = new AtomicLong();
      AtomicLong noops = new AtomicLong();
      Thread watcher = new Thread(() -> {
        try {
          while (streaming.get()) {
            peak.accumulateAndGet(server.connectionBufferedBytes(), Math::max);
            long t0 = System.nanoTime();
            String reply = bystander.command("NOOP");
            if (!reply.startsWith("200")) throw new IllegalStateException(reply);
            slowestNoop.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            noops.incrementAndGet();
            Thread.sleep(WATCH_EVERY_MILLIS);
          }
        } catch (Exception e) {
          slowestNoop.set(Long.MAX_VALUE);
        }
      });
      List<String> lines = new ArrayList<>();
      try (Socket data = new Socket()) {
        data.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
        data.setSoTimeout(FtpTools.READ_TIMEOUT_MILLIS);
        data.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1))));
        watcher.start();
        String started = lister.command("LIST big");
        assertTrue(started.startsWith("150"), started);
        BufferedReader in = new BufferedReader(new InputStreamReader(data.getInputStream(), StandardCharsets.UTF_8),
            CLIENT_RECEIVE_BUFFER);
        lines.add(in.readLine());
        Thread.sleep(CLIENT_PAUSE_MILLIS);
        for (String line; (line = in.readLine()) != null; ) lines.add(line);
      } finally {
        streaming.set(false);
        watcher.join();
      }
      String end = lister.reply();
      assertTrue(end.startsWith("226"), end);
      assertEquals(ENTRIES, lines.size());
      for (int i = 0; i < ENTRIES; i++) assertTrue(lines.get(i).endsWith(" " + name(i)), lines.get(i));
      long whole = lines.stream().mapToLong(l -> l.length() + 2).sum();
      assertTrue(peak.get() > 0, "the measurement saw the page being sent");
      assertTrue(peak.get() <= BOUND_BYTES, "held " + peak.get() + " bytes at once of a " + whole + "-byte listing");
      assertTrue(noops.get() >= 3, "the bystander was answered during the listing: " + noops.get());
      assertTrue(slowestNoop.get() <= BYSTANDER_MAX_MILLIS, "slowest NOOP " + slowestNoop.get() + " ms");
    }
  }
}
