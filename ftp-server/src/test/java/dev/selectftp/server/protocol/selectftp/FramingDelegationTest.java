package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Frames;
import dev.selectftp.server.storage.ByteSink;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The framing stands between one connection and one session without adding state of its own: what the
 * connection asks (logged in? transferring? more to stream?) is the session's answer, and what the session
 * asks of its peer reaches the connection.
 */
class FramingDelegationTest {
  /** A connection that answers fixed facts and counts pauses. */
  private static final class Connection implements dev.selectftp.server.net.Peer {
    final byte[] binding = {1, 2, 3};
    int pauses;
    boolean open = true;
    boolean closing;

    @Override public void send(ByteBuffer bytes) { bytes.position(bytes.limit()); }
    @Override public void pauseInput() { pauses++; }
    @Override public void resumeInput() {}
    @Override public void startStreaming() {}
    @Override public void closeAfterFlush() { closing = true; }
    @Override public void startTls() {}
    @Override public byte[] channelBinding() { return binding; }
    @Override public String address() { return "198.51.100.9"; }
    @Override public boolean isOpen() { return open; }
  }

  /** A session whose answers the test sets, keeping the peer it was given. */
  private static final class Session implements FrameHandler {
    Peer peer;
    boolean loggedIn;
    boolean transferring;
    boolean streaming;

    @Override public void onOpen() {}
    @Override public void onFrame(byte[] payload) {}
    @Override public long rawBytesWanted() { return 0; }
    @Override public void onRaw(ByteBuffer source) {}
    @Override public int maxFrameBytes() { return Frames.MAX_FRAME_BYTES_BEFORE_LOGIN; }
    @Override public boolean stream(ByteSink out) { return streaming; }
    @Override public boolean isTransferring() { return transferring; }
    @Override public boolean isLoggedIn() { return loggedIn; }
    @Override public void onClose() {}
  }

  private final Connection connection = new Connection();
  private final Session session = new Session();
  private final Framing framing = new Framing(connection, peer -> {
    session.peer = peer;
    return session;
  });

  @Test
  void theConnectionSeesTheSessionsStateAsItChanges() throws Exception {
    assertFalse(framing.isLoggedIn());
    assertFalse(framing.isTransferring());
    assertFalse(framing.stream(null));
    session.loggedIn = true;
    session.transferring = true;
    session.streaming = true;
    assertTrue(framing.isLoggedIn());
    assertTrue(framing.isTransferring());
    assertTrue(framing.stream(null));
  }

  @Test
  void whatTheSessionAsksOfItsPeerReachesTheConnection() {
    session.peer.pauseInput();
    assertEquals(1, connection.pauses);
    assertEquals("198.51.100.9", session.peer.address());
    assertArrayEquals(connection.binding, session.peer.channelBinding());
    assertTrue(session.peer.isOpen());
    connection.open = false;
    assertFalse(session.peer.isOpen());
  }

  @Test
  void aHalfArrivedFrameIsHeldAndCountedAndAFrameOverTheCapIsNoRequest() {
    ByteBuffer half = ByteBuffer.allocate(14).putInt(100).put(new byte[10]).flip();
    assertFalse(framing.onInput(half), "no whole request yet");
    assertEquals(10, framing.bufferedBytes());
    assertTrue(framing.midMessage());

    Framing fresh = new Framing(connection, peer -> new Session());
    ByteBuffer tooLarge = ByteBuffer.allocate(4).putInt(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN + 1).flip();
    assertFalse(fresh.onInput(tooLarge), "a refused frame is not a request read");
    assertTrue(connection.closing);
  }
}
