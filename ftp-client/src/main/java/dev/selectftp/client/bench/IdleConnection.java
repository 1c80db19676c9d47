package dev.selectftp.client.bench;

import dev.selectftp.client.FtpException;
import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.ChannelBinding;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.TlsOffer;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;

/**
 * A logged-in connection that only sits there, for {@code --keep-open}. An {@link dev.selectftp.client.FtpClient}
 * carries about 24 KiB of buffers and a watchdog registration, more than ten thousand idle sockets need, so this
 * speaks just hello + SCRAM login over the bare socket and then keeps nothing but the socket.
 */
final class IdleConnection implements Closeable {
  /** The plain socket, or the TLS socket layered on it (closing it closes both). */
  private final Socket socket;

  private IdleConnection(Socket socket) {
    this.socket = socket;
  }

  /**
   * Connects, upgrades to TLS when the server offers it and {@code tls} is on (an {@link SSLSocket} layered
   * on the socket: an idle session needs no zero-copy path), and logs in (logged-in sessions are not closed
   * by the server's login timeout).
   */
  static IdleConnection open(String host, int port, String user, char[] password, int timeoutMillis, ClientTls tls)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      // Unbuffered: nothing after the start-tls reply is read before the handshake.
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      Response.Hello hello = expect(in, Response.Hello.class);
      byte[] binding = null;
      if (tls.enabled() && TlsOffer.fromWire(hello.tls()) != TlsOffer.OFF) {
        send(out, new Request.StartTls());
        expect(in, Response.StartTls.class);
        SSLSocket ssl = tls.layer(socket, host, port);
        socket = ssl;
        ssl.startHandshake();
        binding = ChannelBinding.tlsServerEndPoint((X509Certificate) ssl.getSession().getPeerCertificates()[0]);
        in = new DataInputStream(ssl.getInputStream());
        out = ssl.getOutputStream();
      }
      ScramClient scram = new ScramClient(user, password, binding);
      send(out, new Request.AuthStart(scram.clientFirst()));
      Response.AuthChallenge challenge = expect(in, Response.AuthChallenge.class);
      send(out, new Request.AuthFinish(scram.clientFinal(challenge.scram())));
      Response.AuthOk ok = expect(in, Response.AuthOk.class);
      scram.verifyServerFinal(ok.scram());
      return new IdleConnection(socket);
    } catch (ProtocolException e) {
      socket.close();
      throw new IOException("bad SCRAM exchange: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static void send(OutputStream out, Request request) throws IOException {
    ByteBuffer frame = MessageCodec.encode(request);
    out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    out.flush();
  }

  private static <T extends Response> T expect(DataInputStream in, Class<T> type) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > Frames.MAX_FRAME_BYTES) throw new IOException("bad frame length " + length);
    byte[] payload = new byte[length];
    in.readFully(payload);
    Response reply;
    try {
      reply = MessageCodec.decodeResponse(payload);
    } catch (ProtocolException e) {
      throw new IOException("bad reply: " + e.getMessage(), e);
    }
    if (reply instanceof Response.Error error) throw new FtpException(error.errorCode(), error.message());
    if (!type.isInstance(reply)) {
      throw new IOException("got " + reply.getClass().getSimpleName() + ", expected " + type.getSimpleName());
    }
    return type.cast(reply);
  }

  boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
