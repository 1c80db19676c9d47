package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramCredentials;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A deliberately low-level client for hostile tests: it writes whatever bytes it is told to and reads the
 * server's frames one by one, so tests can see exactly what the server answers and when it hangs up.
 */
public final class RawClient implements AutoCloseable {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  Socket socket;
  private DataInputStream in;
  private OutputStream out;
  Response.Hello hello;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    this.out = socket.getOutputStream();
  }

  /** Connects from 127.0.0.1 and reads the hello. */
  public static RawClient connect(int port) throws IOException {
    return connect(port, "127.0.0.1");
  }

  /**
   * Connects from a chosen loopback source address (any 127.x.y.z works on Linux), so that tests can act
   * as different client addresses for the per-address limits, then reads the hello.
   */
  static RawClient connect(int port, String from) throws IOException {
    RawClient c = connectQuiet(port, from, 0);
    Response first = c.next();
    c.hello = assertInstanceOf(Response.Hello.class, first, "first frame must be hello");
    return c;
  }

  /**
   * Connects to {@code host} (a node's own address rather than the balancer's) from the local address
   * {@code from} and reads the hello.
   */
  public static RawClient connect(String host, int port, String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5_000);
    RawClient c = new RawClient(s);
    c.hello = assertInstanceOf(Response.Hello.class, c.next(), "first frame must be hello");
    return c;
  }

  /** Connects without reading anything; {@code receiveBuffer > 0} sets SO_RCVBUF before connecting. */
  static RawClient connectQuiet(int port, String from, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    return new RawClient(s);
  }

  static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  static byte[] frame(Request request) {
    ByteBuffer b = MessageCodec.encode(request);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }

  /**
   * Asks for TLS ({@code start-tls}), reads the go-ahead and completes the handshake over the same socket;
   * from then on every frame goes through TLS.
   */
  RawClient startTls(dev.selectftp.server.net.KeytoolTls tls, String... protocols) throws IOException {
    send(new Request.StartTls());
    expect(Response.StartTls.class);
    return upgrade(tls, protocols);
  }

  /** The handshake over the socket as it is (the start-tls reply already read). */
  RawClient upgrade(dev.selectftp.server.net.KeytoolTls tls, String... protocols) throws IOException {
    javax.net.ssl.SSLSocket secure = tls.upgrade(socket, protocols);
    secure.setSoTimeout(socket.getSoTimeout());
    this.socket = secure;
    this.in = new DataInputStream(new BufferedInputStream(secure.getInputStream(), 64 * 1024));
    this.out = secure.getOutputStream();
    return this;
  }

  /** Over TLS, the binding of the server's certificate as received (RFC 5929); null over plain text. */
  private byte[] channelBinding() throws IOException {
    if (!(socket instanceof javax.net.ssl.SSLSocket secure)) return null;
    java.security.cert.Certificate leaf = secure.getSession().getPeerCertificates()[0];
    return dev.selectftp.common.ChannelBinding.tlsServerEndPoint((java.security.cert.X509Certificate) leaf);
  }

  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendJson(String json) throws IOException {
    sendBytes(frame(json));
  }

  void send(Request request) throws IOException {
    sendBytes(frame(request));
  }

  /** The next frame from the server, within the socket timeout. */
  Response next() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > Frames.MAX_FRAME_BYTES) fail("server sent a bad frame length " + length);
    byte[] payload = new byte[length];
    in.readFully(payload);
    try {
      return MessageCodec.decodeResponse(payload);
    } catch (ProtocolException e) {
      throw new AssertionError("server sent an undecodable frame: " + new String(payload, StandardCharsets.UTF_8), e);
    }
  }

  Response next(Duration timeout) throws IOException {
    int old = socket.getSoTimeout();
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    try {
      return next();
    } finally {
      socket.setSoTimeout(old);
    }
  }

  <T extends Response> T expect(Class<T> type) throws IOException {
    Response r = next();
    return assertInstanceOf(type, r, () -> "expected " + type.getSimpleName() + " but got " + r);
  }

  Response.Error expectError(ErrorCode code) throws IOException {
    Response r = next();
    Response.Error e = assertInstanceOf(Response.Error.class, r, () -> "expected error " + code.code() + " but got " + r);
    assertEquals(code.code(), e.code(), () -> "wrong error code: " + e);
    assertEquals(code.status(), e.status(), () -> "wrong status: " + e);
    return e;
  }

  void readRaw(byte[] into) throws IOException {
    in.readFully(into);
  }

  /** Reads exactly {@code length} raw bytes into {@code into} from {@code offset}. */
  void readRaw(byte[] into, int offset, int length) throws IOException {
    in.readFully(into, offset, length);
  }

  /** True when the server closes the connection within {@code timeout} (after any frames still in flight). */
  boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int old = socket.getSoTimeout();
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) return false;
        socket.setSoTimeout((int) left);
        try {
          int b = in.read();
          if (b < 0) return true;
        } catch (SocketTimeoutException e) {
          return false;
        } catch (SocketException e) {
          return true; // reset: closed as well
        }
      }
    } finally {
      if (!socket.isClosed()) socket.setSoTimeout(old);
    }
  }

  /** Whether the connection still answers: a {@code stats} round trip works in every state but transfers. */
  boolean stillServes() {
    try {
      send(new Request.Stats());
      return next(Duration.ofSeconds(5)) instanceof Response.ServerStats;
    } catch (IOException e) {
      return false;
    }
  }

  /** A SCRAM login; returns {@link Response.AuthOk} (server signature verified) or the error. */
  public Response tryLogin(String user, String password) throws IOException {
    ScramClient scram = new ScramClient(user, password.toCharArray(), channelBinding());
    send(new Request.AuthStart(scram.clientFirst()));
    Response challenge = next();
    if (!(challenge instanceof Response.AuthChallenge c)) return challenge;
    try {
      send(new Request.AuthFinish(scram.clientFinal(c.scram())));
      Response result = next();
      if (result instanceof Response.AuthOk ok) scram.verifyServerFinal(ok.scram());
      return result;
    } catch (ProtocolException e) {
      throw new AssertionError("SCRAM failed on the client side", e);
    }
  }

  RawClient login(String user, String password) throws IOException {
    Response r = tryLogin(user, password);
    assertInstanceOf(Response.AuthOk.class, r, () -> "login of " + user + " failed: " + r);
    return this;
  }

  /** The first page of the current folder's listing. */
  public Response.Listing list() throws IOException {
    send(new Request.List(null));
    return expect(Response.Listing.class);
  }

  /** Registers with the iteration count the server's hello asked for; returns ok or the error. */
  public Response register(String user, String password) throws IOException {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    RANDOM.nextBytes(salt);
    ScramCredentials c = ScramCredentials.derive(password.toCharArray(), salt, hello.iterations());
    Base64.Encoder b64 = Base64.getEncoder();
    send(new Request.Register(user, b64.encodeToString(c.salt()), c.iterations(),
        b64.encodeToString(c.storedKey()), b64.encodeToString(c.serverKey())));
    return next();
  }

  /** Any request from another package's test; returns its one answer. */
  public Response ask(Request request) throws IOException {
    send(request);
    return next();
  }

  /** Sends {@code put} and returns the first answer: put-ready, or a refusal made before any byte moved. */
  public Response offer(String path, long size) throws IOException {
    send(new Request.Put(path, size));
    return next();
  }

  /** A whole upload from offset 0 (or resumed when the server offers a matching prefix); returns the last reply. */
  public Response upload(String path, byte[] content) throws IOException {
    Response r = offer(path, content.length);
    if (!(r instanceof Response.PutReady ready)) return r;
    return finishUpload(ready, content);
  }

  /** The rest of an upload whose {@link #offer} was answered {@code ready}: its bytes and commit; the last reply. */
  public Response finishUpload(Response.PutReady ready, byte[] content) throws IOException {
    long offset = ready.offset();
    if (offset > 0 && !sha256(Arrays.copyOf(content, (int) offset)).equals(ready.prefixSha256())) offset = 0;
    send(new Request.PutData(offset, content.length - offset));
    sendBytes(Arrays.copyOfRange(content, (int) offset, content.length));
    send(new Request.PutCommit(sha256(content)));
    return next();
  }

  /** Downloads a whole file and checks it against the trailer's hash. */
  public byte[] download(String path) throws IOException {
    send(new Request.Get(path, 0, null));
    Response.GetReady ready = expect(Response.GetReady.class);
    byte[] bytes = new byte[(int) ready.size()];
    readRaw(bytes);
    Response.GetDone done = expect(Response.GetDone.class);
    assertEquals(done.sha256(), sha256(bytes), "downloaded bytes must match get-done's sha256");
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads and drops whatever arrives until the server closes or {@code timeout} passes. */
  void drain(Duration timeout) {
    try {
      closedWithin(timeout);
    } catch (IOException ignored) {
      // closed or reset: fine
    }
  }

  static boolean isEof(IOException e) {
    return e instanceof EOFException || e instanceof SocketException;
  }

  InputStream rawIn() {
    return in;
  }

  OutputStream rawOut() {
    return out;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
