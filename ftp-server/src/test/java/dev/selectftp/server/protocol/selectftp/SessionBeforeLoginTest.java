package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.TlsOffer;
import dev.selectftp.server.ServerConfig;
import dev.selectftp.server.tls.TlsSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The session's rules before login, without sockets: what it answers, when it closes, how {@code start-tls}
 * is taken. None of these needs an account, so the services are only a configuration.
 */
class SessionBeforeLoginTest {
  private final RecordingPeer peer = new RecordingPeer("203.0.113.7");

  private Session session(TlsOffer offer) {
    ServerConfig config = ServerConfig.forTests(Path.of("unused")).withTls(new TlsSettings(offer, null, null));
    return new Session(new Services(config, null, null, null, null, null, null, null, null, null, null, null, null,
        null, () -> null), peer);
  }

  private static byte[] payload(Request request) {
    ByteBuffer frame = MessageCodec.encode(request);
    byte[] payload = new byte[frame.getInt()];
    frame.get(payload);
    return payload;
  }

  private ErrorCode lastError() {
    return assertInstanceOf(Response.Error.class, peer.last()).errorCode();
  }

  @Test
  void theFirstReplyIsHelloWithTheIterationsAndTheTlsOffer() {
    session(TlsOffer.OPTIONAL).onOpen();
    Response.Hello hello = assertInstanceOf(Response.Hello.class, peer.last());
    assertEquals("optional", hello.tls());
    assertEquals(ServerConfig.forTests(Path.of("unused")).iterations(), hello.iterations());
    assertTrue(hello.server().startsWith("SelectFTP/"));
  }

  @Test
  void theThirdProtocolErrorBeforeLoginClosesTheConnectionAndTheSecondDoesNot() {
    Session s = session(TlsOffer.OFF);
    s.onFrame("not json".getBytes(StandardCharsets.UTF_8));
    assertEquals(ErrorCode.BAD_JSON, lastError());
    s.onFrame(payload(new Request.PrintDir()));
    assertEquals(ErrorCode.NOT_LOGGED_IN, lastError());
    assertFalse(peer.closing, "two errors are forgiven");
    s.onFrame(payload(new Request.AuthFinish("c=biws,r=x,p=y")));
    assertEquals(ErrorCode.WRONG_STATE, lastError());
    assertTrue(peer.closing, "the third error closes");
  }

  @Test
  void quitSaysByeAndCloses() {
    session(TlsOffer.OFF).onFrame(payload(new Request.Quit()));
    assertInstanceOf(Response.Bye.class, peer.last());
    assertTrue(peer.closing);
  }

  @Test
  void startTlsOnAServerWithoutTlsIsUnavailableAndNothingStarts() {
    session(TlsOffer.OFF).onFrame(payload(new Request.StartTls()));
    assertEquals(ErrorCode.TLS_UNAVAILABLE, lastError());
    assertEquals(0, peer.tlsStarts);
  }

  @Test
  void startTlsAsTheFirstRequestGoesAheadOnceAndNotASecondTime() {
    Session s = session(TlsOffer.OPTIONAL);
    s.onFrame(payload(new Request.StartTls()));
    assertInstanceOf(Response.StartTls.class, peer.last());
    assertEquals(1, peer.tlsStarts);
    s.onFrame(payload(new Request.StartTls()));
    assertEquals(ErrorCode.TLS_UNAVAILABLE, lastError());
    assertEquals(1, peer.tlsStarts);
  }

  @Test
  void startTlsAfterAnotherRequestIsRefused() {
    Session s = session(TlsOffer.OPTIONAL);
    s.onFrame(payload(new Request.PrintDir()));
    s.onFrame(payload(new Request.StartTls()));
    assertEquals(ErrorCode.TLS_UNAVAILABLE, lastError());
    assertEquals(0, peer.tlsStarts);
  }

  @Test
  void onAServerThatRequiresTlsAPlainRequestGetsTlsRequiredAndTheConnectionCloses() {
    session(TlsOffer.REQUIRED).onFrame(payload(new Request.PrintDir()));
    assertEquals(ErrorCode.TLS_REQUIRED, lastError());
    assertTrue(peer.closing);
  }

  @Test
  void onAServerThatRequiresTlsRequestsAfterTheUpgradeAreServed() {
    Session s = session(TlsOffer.REQUIRED);
    s.onFrame(payload(new Request.StartTls()));
    s.onFrame(payload(new Request.PrintDir()));
    assertEquals(ErrorCode.NOT_LOGGED_IN, lastError());
    assertFalse(peer.closing);
  }

  @Test
  void beforeLoginFramesAreCappedLowerAndNothingTransfers() {
    Session s = session(TlsOffer.OFF);
    assertEquals(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN, s.maxFrameBytes());
    assertFalse(s.isLoggedIn());
    assertFalse(s.isTransferring());
    assertEquals(0, s.rawBytesWanted());
    assertThrows(IllegalStateException.class, () -> s.onRaw(ByteBuffer.allocate(1)));
  }

  @Test
  void statsAndQuitLeaveTheSessionWhereItWas() {
    RecordingPeer local = new RecordingPeer("127.0.0.1");
    ServerConfig config = ServerConfig.forTests(Path.of("unused"));
    Session s = new Session(new Services(config, null, null, null, null, null, null, null, null, null, null, null,
        null, null, () -> null), local);
    s.onFrame(payload(new Request.Stats()));
    s.onFrame(payload(new Request.PrintDir()));
    assertEquals(ErrorCode.NOT_LOGGED_IN, assertInstanceOf(Response.Error.class, local.last()).errorCode());
    s.onFrame(payload(new Request.Quit()));
    s.onFrame(payload(new Request.PrintDir()));
    assertEquals(ErrorCode.NOT_LOGGED_IN, assertInstanceOf(Response.Error.class, local.last()).errorCode());
  }
}
