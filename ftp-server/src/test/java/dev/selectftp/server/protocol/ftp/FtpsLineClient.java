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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw FTP control connection for FTPS tests: lines in plain text until {@link #upgrade}, then over TLS with
 * the JDK's client; data connections over TLS that resume the control's session or not, as the test says.
 */
final class FtpsLineClient implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 15_000;
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

  private final Socket plain;
  /** The port the control connection's TLS session is cached under in the client's context. */
  private final int sessionPort;
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  /** Connects to {@code port} (the server's, or a relay's). */
  FtpsLineClient(int port) throws IOException {
    this(InetAddress.getLoopbackAddress(), port);
  }

  FtpsLineClient(InetAddress host, int port) throws IOException {
    plain = new Socket(host, port);
    plain.setSoTimeout(READ_TIMEOUT_MILLIS);
    sessionPort = port;
    use(plain);
  }

  private void use(Socket s) throws IOException {
    socket = s;
    in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    out = s.getOutputStream();
  }

  /** Layers TLS over the control connection (after 234) with {@code context}'s client side. */
  void upgrade(SSLContext context) throws IOException {
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", sessionPort, true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    use(tls);
  }

  /** Greeting, AUTH TLS, handshake, USER, PASS, PBSZ 0, PROT P; returns the PROT reply. */
  String loginOverTls(SSLContext context) throws IOException {
    reply();
    String auth = command("AUTH TLS");
    if (!auth.startsWith("234")) throw new IOException("AUTH TLS: " + auth);
    upgrade(context);
    command("USER xiaoyu");
    String pass = command("PASS 123456");
    if (!pass.startsWith("230")) throw new IOException("PASS: " + pass);
    command("PBSZ 0");
    return command("PROT P");
  }

  /** EPSV's port. */
  int passive() throws IOException {
    String reply = command("EPSV");
    Matcher m = EPSV.matcher(reply);
    if (!m.find()) throw new IOException("EPSV: " + reply);
    return Integer.parseInt(m.group(1));
  }

  /**
   * A data connection to {@code port} over TLS with {@code context}: with the control connection's context it
   * offers the control's session (the JDK caches client sessions by host and the port given here), with a
   * fresh context it offers none. The handshake is not started here.
   */
  SSLSocket data(int port, SSLContext context) throws IOException {
    return layer(new Socket(InetAddress.getLoopbackAddress(), port), context);
  }

  /** A data connection over TLS that offers the control connection's session from {@code context}'s cache. */
  TlsDataClient resuming(int port, SSLContext context) throws IOException {
    return new TlsDataClient(port, context, sessionPort);
  }

  /** Like {@link #data(int, SSLContext)} over a socket the caller holds (to close it without close_notify). */
  SSLSocket layer(Socket raw, SSLContext context) throws IOException {
    raw.setSoTimeout(READ_TIMEOUT_MILLIS);
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", sessionPort, true);
    tls.setUseClientMode(true);
    return tls;
  }

  /** The whole reply, lines joined by LF; its code is the first three characters. */
  String reply() throws IOException {
    return FtpLineClient.readReply(in);
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  String command(String line) throws IOException {
    sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    return reply();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    plain.close();
  }
}
