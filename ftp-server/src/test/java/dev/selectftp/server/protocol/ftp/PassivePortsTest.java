package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PASV and EPSV: the port range ({@code --ftp-passive-ports}), the address PASV advertises (the one the client
 * reached, or {@code --ftp-public-address}), and a client opening passive listeners in a loop holding at most one.
 */
class PassivePortsTest {
  private static final Pattern PASV = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");
  /** PASV commands a looping client sends; each replaces the previous offer. */
  private static final int PASV_LOOP = 1_000;
  /** Descriptors the process may gain meanwhile for reasons of its own (a log file rolled, a class loaded). */
  private static final int FD_SLACK = 8;
  /** The state of a listening socket in {@code /proc/net/tcp}. */
  private static final String TCP_LISTEN = "0A";
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  /** Test ranges are drawn from 20000-29999: above common services, below the kernel's ephemeral ports. */
  private static final int RANGE_FLOOR = 20_000;
  private static final int RANGE_SPAN = 10_000;
  private static final int FREE_RANGE_ATTEMPTS = 100;
  private static final java.util.Random RANDOM = new java.util.Random();

  @TempDir Path dir;

  private static FtpServer start(ServerConfig config) throws IOException {
    return FtpServer.start(config.withFtpPort(0));
  }

  private ServerConfig config() {
    return ServerConfig.forTests(dir.resolve("data"));
  }

  /** {address, port} of a 227 reply. */
  private static String[] pasv(String reply) {
    Matcher m = PASV.matcher(reply);
    assertTrue(reply.startsWith("227 ") && m.find(), reply);
    int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
    return new String[] {m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4), String.valueOf(port)};
  }

  private static int epsvPort(String reply) {
    Matcher m = EPSV.matcher(reply);
    assertTrue(reply.startsWith("229 ") && m.find(), reply);
    return Integer.parseInt(m.group(1));
  }

  /** The names NLST sends over a data connection to {@code port} on loopback. */
  private static String nlst(FtpLineClient c, int port) throws IOException {
    try (Socket data = new Socket(InetAddress.getLoopbackAddress(), port)) {
      data.setSoTimeout(READ_TIMEOUT_MILLIS);
      assertEquals("150", c.command("NLST").substring(0, 3));
      try (InputStream in = data.getInputStream()) {
        String names = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("226", c.reply().substring(0, 3));
        return names;
      }
    }
  }

  /**
   * The first of {@code size} consecutive ports free now, below Linux's ephemeral range (32768 and up), so
   * no client socket of this or another test is handed one of them meanwhile.
   */
  private static int freeRange(int size) throws IOException {
    for (int attempt = 0; attempt < FREE_RANGE_ATTEMPTS; attempt++) {
      int first = RANGE_FLOOR + RANDOM.nextInt(RANGE_SPAN);
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int port = first; port < first + size; port++) {
          ServerSocket s = new ServerSocket();
          held.add(s);
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        return first;
      } catch (IOException inUse) {
        // try another start
      } finally {
        for (ServerSocket s : held) s.close();
      }
    }
    throw new IOException("no " + size + " free consecutive ports found");
  }

  /**
   * The TCP ports this JVM has a listening socket on (IPv4 and IPv6), from {@code /proc/net/tcp*} matched by
   * inode against {@code /proc/self/fd}: other processes' listeners on the same ports are not counted.
   */
  private static Set<Integer> listeningPortsOfThisProcess() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
        } catch (IOException e) {
          // closed between the listing and the read: not a socket of ours any more
        }
      }
    }
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) continue;
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) { // the first line names the columns
        String[] f = line.trim().split("\\s+");
        boolean listens = f[3].equals(TCP_LISTEN);
        if (listens && inodes.contains(f[9])) ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
      }
    }
    return ports;
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void passiveListenersTakeTheirPortsFromTheRangeAndSkipPortsInUse() throws Exception {
    int first = freeRange(4);
    // Something else holds the range's first port: it is skipped, never a reason to fail.
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first));
      try (FtpServer server = start(config().withFtpPassivePorts(new PassivePorts(first, first + 3)));
          FtpLineClient c = new FtpLineClient(server.ftpPort())) {
        assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          int port = i % 2 == 0 ? Integer.parseInt(pasv(c.command("PASV"))[1]) : epsvPort(c.command("EPSV"));
          assertTrue(port > first && port <= first + 3, "port " + port + " outside " + first + "-" + (first + 3));
          seen.add(port);
        }
        assertTrue(seen.stream().distinct().count() == 3, "the index rotates through the free ports: " + seen);
        int port = epsvPort(c.command("EPSV"));
        assertTrue(nlst(c, port).contains("sample.bin"), "a listener from the range carries a listing");
      }
    }
  }

  @Test
  void whenEveryPortOfTheRangeIsTakenPasvGets425AndTheSessionGoesOn() throws Exception {
    int first = freeRange(2);
    try (FtpServer server = start(config().withFtpPassivePorts(new PassivePorts(first, first + 1)));
        FtpLineClient a = new FtpLineClient(server.ftpPort());
        FtpLineClient b = new FtpLineClient(server.ftpPort());
        FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      for (FtpLineClient x : List.of(a, b, c)) assertEquals("230", x.login("xiaoyu", "123456").substring(0, 3));
      epsvPort(a.command("EPSV"));
      epsvPort(b.command("EPSV"));
      assertEquals("425", c.command("EPSV").substring(0, 3), "two ports, both offered: the third waits");
      assertEquals("425", c.command("PASV").substring(0, 3));
      assertEquals("257", c.command("PWD").substring(0, 3), "the session goes on");
      a.command("QUIT");
      // a's listener closed with its session: its port serves c now.
      long deadline = System.nanoTime() + 10_000_000_000L;
      String reply;
      do {
        reply = c.command("EPSV");
      } while (!reply.startsWith("229") && System.nanoTime() < deadline);
      epsvPort(reply);
    }
  }

  @Test
  void aClientSendingAThousandPasvInARowHoldsOneListenerAndThePortsComeBack() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counting descriptors needs Linux's /proc");
    try (FtpServer server = start(config());
        FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      long before = openDescriptors();
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < PASV_LOOP; i++) {
        ports.add(i % 2 == 0 ? Integer.parseInt(pasv(c.command("PASV"))[1]) : epsvPort(c.command("EPSV")));
      }
      long grown = openDescriptors() - before;
      assertTrue(grown <= 1 + FD_SLACK, PASV_LOOP + " PASV left " + grown + " more descriptors open");
      int last = ports.get(ports.size() - 1);
      // Asked of the kernel for this process's own sockets: a connect to an old port could reach another
      // process that bound it since (the suite and other builds share the machine's ephemeral ports).
      Set<Integer> listening = listeningPortsOfThisProcess();
      assertTrue(listening.contains(last), "the last offer listens: " + last);
      List<Integer> stillOffered = ports.subList(0, ports.size() - 1).stream()
          .filter(p -> p != last && listening.contains(p)).distinct().toList();
      assertEquals(List.of(), stillOffered, "every earlier offer is withdrawn");
      assertTrue(nlst(c, last).contains("sample.bin"), "the last offer still works");
    }
  }

  @Test
  void aThousandPasvInARowInARangeOfThreePortsAllSucceed() throws Exception {
    int first = freeRange(3);
    try (FtpServer server = start(config().withFtpPassivePorts(new PassivePorts(first, first + 2)));
        FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      for (int i = 0; i < PASV_LOOP; i++) {
        String reply = c.command(i % 2 == 0 ? "PASV" : "EPSV");
        assertTrue(reply.startsWith("22"), "PASV number " + i + ": " + reply);
      }
    }
  }

  @Test
  void underAWildcardBindPasvAdvertisesTheAddressTheClientReached() throws Exception {
    try (FtpServer server = start(config().withBind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)));
        FtpLineClient c = new FtpLineClient(InetAddress.getByName("127.0.0.2"), server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      String[] offer = pasv(c.command("PASV"));
      assertEquals("127.0.0.2", offer[0], "not 127.0.0.1, not 0.0.0.0: the address this client reached");
      try (Socket data = new Socket(InetAddress.getByName(offer[0]), Integer.parseInt(offer[1]))) {
        data.setSoTimeout(READ_TIMEOUT_MILLIS);
        assertEquals("150", c.command("NLST").substring(0, 3));
        assertTrue(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("sample.bin"));
        assertEquals("226", c.reply().substring(0, 3));
      }
    }
  }

  @Test
  void behindNatPasvAdvertisesThePublicAddressAndListensLocally() throws Exception {
    InetAddress nat = InetAddress.getByName("203.0.113.7"); // TEST-NET-3: documentation only
    try (FtpServer server = start(config().withFtpPublicAddress(nat));
        FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      String[] offer = pasv(c.command("PASV"));
      assertEquals("203.0.113.7", offer[0]);
      // The NAT forwards the public port to this one on the server's own address.
      assertTrue(nlst(c, Integer.parseInt(offer[1])).contains("sample.bin"));
    }
  }

  @Test
  void overIpv6PasvIsRefusedWithAHintAndEpsvWorks() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
      assumeTrue(probe.getInetAddress() instanceof Inet6Address);
    } catch (IOException e) {
      assumeTrue(false, "no IPv6 loopback here");
    }
    try (FtpServer server = start(config().withBind(new InetSocketAddress(v6, 0)));
        FtpLineClient c = new FtpLineClient(v6, server.ftpPort())) {
      assertEquals("230", c.login("xiaoyu", "123456").substring(0, 3));
      String reply = c.command("PASV");
      assertTrue(reply.startsWith("425 ") && reply.contains("EPSV"), reply);
      int port = epsvPort(c.command("EPSV"));
      try (Socket data = new Socket(v6, port)) {
        data.setSoTimeout(READ_TIMEOUT_MILLIS);
        assertEquals("150", c.command("NLST").substring(0, 3));
        assertTrue(new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("sample.bin"));
        assertEquals("226", c.reply().substring(0, 3));
      }
    }
  }

  @Test
  void aRangeMustLieWithin1024And65535InOrder() {
    assertEquals(new PassivePorts(50_000, 50_100), PassivePorts.parse(" 50000-50100 "));
    assertThrows(IllegalArgumentException.class, () -> PassivePorts.parse("1000-2000"));
    assertThrows(IllegalArgumentException.class, () -> PassivePorts.parse("3000-2000"));
    assertThrows(IllegalArgumentException.class, () -> PassivePorts.parse("60000-70000"));
    assertThrows(IllegalArgumentException.class, () -> PassivePorts.parse("5000"));
    assertThrows(IllegalArgumentException.class, () -> PassivePorts.parse("a-b"));
    assertThrows(IllegalArgumentException.class,
        () -> new PassiveListeners(PassivePorts.ANY, InetAddress.getByName("2001:db8::1")), "PASV shows IPv4 only");
  }
}
