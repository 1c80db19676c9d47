package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.testing.LiveServer;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * The protocol spoken directly over a {@link Socket}, with no client-library logic in between: for cutting
 * a transfer at an exact byte, or sending what a well-behaved client never would.
 */
final class RawSession implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final FrameDecoder decoder = new FrameDecoder();
  private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024).flip();
  final Response.Hello hello;

  private RawSession(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.hello = (Response.Hello) read();
  }

  static RawSession connect(LiveServer server) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      socket.setSoTimeout(30_000);
      return new RawSession(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Connects and logs in with SCRAM-SHA-256, checking the server's signature. */
  static RawSession login(LiveServer server, String user, char[] password) throws IOException {
    RawSession session = connect(server);
    try {
      ScramClient scram = new ScramClient(user, password);
      Response.AuthChallenge challenge =
          session.call(new Request.AuthStart(scram.clientFirst()), Response.AuthChallenge.class);
      Response.AuthOk ok = session.call(new Request.AuthFinish(scram.clientFinal(challenge.scram())),
          Response.AuthOk.class);
      scram.verifyServerFinal(ok.scram());
      return session;
    } catch (ProtocolException e) {
      session.close();
      throw new IOException("SCRAM failed", e);
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** Sends one request frame. */
  void send(Request request) throws IOException {
    ByteBuffer frame = MessageCodec.encode(request);
    out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    out.flush();
  }

  /** Writes raw file bytes (after a put-data header). */
  void writeRaw(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    out.flush();
  }

  /** Reads the next reply frame. */
  Response read() throws IOException {
    while (true) {
      byte[] payload;
      try {
        payload = decoder.next(pending);
      } catch (ProtocolException e) {
        throw new IOException("server sent a bad frame", e);
      }
      if (payload != null) {
        try {
          return MessageCodec.decodeResponse(payload);
        } catch (ProtocolException e) {
          throw new IOException("server sent a bad reply", e);
        }
      }
      pending.compact();
      int n = in.read(pending.array(), pending.position(), pending.remaining());
      if (n < 0) throw new EOFException("server closed the connection");
      pending.position(pending.position() + n).flip();
    }
  }

  /** Sends {@code request} and returns the reply, which must be of type {@code expected}. */
  <T extends Response> T call(Request request, Class<T> expected) throws IOException {
    send(request);
    Response reply = read();
    if (reply instanceof Response.Error e && !expected.equals(Response.Error.class)) {
      throw new AssertionError("expected " + expected.getSimpleName() + " but got error " + e.code() + ": "
          + e.message());
    }
    return assertInstanceOf(expected, reply);
  }

  /** Sends {@code request} and asserts that the immediate answer is the error {@code code}. */
  Response.Error expectError(Request request, ErrorCode code) throws IOException {
    send(request);
    Response.Error error = assertInstanceOf(Response.Error.class, read(), "expected error " + code.code());
    assertEquals(code.code(), error.code(), error.message());
    return error;
  }

  /**
   * Starts an upload of {@code size} bytes at offset 0 and sends only {@code bytes[0, sent)} of it: a
   * client killed mid-upload. Nothing stays unread on our side, so closing sends a clean FIN and the server
   * sees every byte written.
   */
  void startUploadAndSend(String path, byte[] bytes, int sent) throws IOException {
    Response.PutReady ready = call(new Request.Put(path, bytes.length), Response.PutReady.class);
    assertEquals(0, ready.offset(), "a fresh upload starts at 0");
    send(new Request.PutData(0, bytes.length));
    writeRaw(bytes, 0, sent);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
