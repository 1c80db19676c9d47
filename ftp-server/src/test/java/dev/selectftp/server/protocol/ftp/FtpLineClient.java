package dev.selectftp.server.protocol.ftp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw FTP control connection for tests: sends lines, reads whole (multi-line) replies. */
final class FtpLineClient implements AutoCloseable {
  /** How long a test waits for one reply (a failed login's delay included). */
  private static final int READ_TIMEOUT_MILLIS = 15_000;
  private static final Pattern EPSV_PORT = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  FtpLineClient(int port) throws IOException {
    this(InetAddress.getLoopbackAddress(), port);
  }

  FtpLineClient(InetAddress host, int port) throws IOException {
    this(new Socket(host, port));
  }

  /** Connects to loopback from {@code localAddress} (any 127.x.y.z on Linux), another client address. */
  static FtpLineClient from(String localAddress, int port) throws IOException {
    InetAddress local = InetAddress.getByName(localAddress);
    return new FtpLineClient(new Socket(InetAddress.getLoopbackAddress(), port, local, 0));
  }

  /**
   * Connects to loopback from {@code proxyAddress}, a proxy the server trusts, and sends {@code header} (a
   * PROXY header) before anything else, as HAProxy's {@code send-proxy} does.
   */
  static FtpLineClient behindProxy(String proxyAddress, int port, byte[] header) throws IOException {
    FtpLineClient c = from(proxyAddress, port);
    c.sendRaw(header);
    return c;
  }

  FtpLineClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Waits up to {@code millis} for each reply from now on (a test that must fail on its assertion, not here). */
  void replyTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** The whole reply, lines joined by LF; its code is the first three characters. */
  String reply() throws IOException {
    return readReply(in);
  }

  /** Reads one whole (multi-line) reply from {@code in}, lines joined by LF; null at the end of input. */
  static String readReply(BufferedReader in) throws IOException {
    String first = in.readLine();
    if (first == null) return null;
    StringBuilder all = new StringBuilder(first);
    if (first.length() > 3 && first.charAt(3) == '-') {
      String code = first.substring(0, 3);
      String line;
      do {
        line = in.readLine();
        if (line == null) break;
        all.append('\n').append(line);
      } while (!line.startsWith(code + " "));
    }
    return all.toString();
  }

  /** True when reply bytes have arrived and not been read yet. */
  boolean replyWaiting() throws IOException {
    return in.ready() || socket.getInputStream().available() > 0;
  }

  /** Sends the client's FIN: no more commands. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  String command(String line) throws IOException {
    sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    return reply();
  }

  /** Greeting, USER, PASS; returns the PASS reply. */
  String login(String user, String password) throws IOException {
    reply();
    command("USER " + user);
    return command("PASS " + password);
  }

  /** Asks for a passive data port with EPSV and returns it. */
  int passivePort() throws IOException {
    String reply = command("EPSV");
    Matcher m = EPSV_PORT.matcher(reply);
    if (!reply.startsWith("229") || !m.find()) throw new AssertionError("EPSV answered " + reply);
    return Integer.parseInt(m.group(1));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
