package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.ServerConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A request that arrives while the session is busy (a login being checked, a listing page, a transfer being
 * prepared or streamed) is refused as {@code wrong-state} with a reason, without sockets: the states hold
 * no real login or transfer here, since none of them is touched before the refusal.
 */
class SessionBusyStatesTest {
  private final RecordingPeer peer = new RecordingPeer("203.0.113.8");
  private final Session session = new Session(new Services(ServerConfig.forTests(Path.of("unused")), null, null,
      null, null, null, null, null, null, null, null, null, null, null, () -> null), peer);

  private Response.Error refusalOfPwdIn(SessionState state) {
    session.moveTo(state);
    ByteBuffer frame = MessageCodec.encode(new Request.PrintDir());
    byte[] payload = new byte[frame.getInt()];
    frame.get(payload);
    session.onFrame(payload);
    Response.Error e = assertInstanceOf(Response.Error.class, peer.last());
    assertEquals(ErrorCode.WRONG_STATE, e.errorCode());
    return e;
  }

  @Test
  void whileAnUploadIsPreparedTheSessionSaysSoAndCountsAsTransferring() {
    assertEquals("not now: an upload is in progress", refusalOfPwdIn(new SessionState.Preparing(null, null)).message());
    assertTrue(session.isTransferring());
    assertTrue(session.isLoggedIn());
    assertEquals(Frames.MAX_FRAME_BYTES, session.maxFrameBytes());
    assertEquals(0, session.rawBytesWanted(), "raw bytes only once put-data announced them");
  }

  @Test
  void whileADownloadIsLocatedTheSessionSaysSoAndCountsAsTransferring() {
    assertEquals("not now: a download is in progress", refusalOfPwdIn(new SessionState.Locating(null, null)).message());
    assertTrue(session.isTransferring());
  }

  @Test
  void whileAListingPageIsReadTheSessionIsBusyButNotTransferring() {
    assertEquals("not now: the session is busy", refusalOfPwdIn(new SessionState.Listing(null)).message());
    assertFalse(session.isTransferring());
    assertTrue(session.isLoggedIn());
  }

  @Test
  void loggedInSessionsAreNotClosedForBusyRefusalsButWaitingLoginsAre() {
    for (int i = 0; i < Session.MAX_ERRORS_BEFORE_LOGIN + 1; i++) refusalOfPwdIn(new SessionState.Listing(null));
    assertFalse(peer.closing);
    for (int i = 0; i < Session.MAX_ERRORS_BEFORE_LOGIN; i++) refusalOfPwdIn(new SessionState.Waiting("logging in"));
    assertTrue(peer.closing);
  }
}
