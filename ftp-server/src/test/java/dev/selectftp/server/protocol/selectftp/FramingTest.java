package dev.selectftp.server.protocol.selectftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.server.storage.ByteSink;
import dev.selectftp.server.net.ConnectionLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SelectFTP framing without sockets, in the manner of a Netty codec test: bytes go in in odd splits,
 * frames come out to a recording session, and replies come out as bytes to a recording connection.
 */
class FramingTest {
  /** The connection side: records what is sent and what the framing asks for. */
  private static final class RecordingConnection implements dev.selectftp.server.net.Peer {
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    boolean closing;
    boolean tlsStarted;

    @Override public void send(ByteBuffer bytes) {
      byte[] b = new byte[bytes.remaining()];
      bytes.get(b);
      sent.writeBytes(b);
    }
    @Override public void pauseInput() {}
    @Override public void resumeInput() {}
    @Override public void startStreaming() {}
    @Override public void closeAfterFlush() { closing = true; }
    @Override public void startTls() { tlsStarted = true; }
    @Override public byte[] channelBinding() { return null; }
    @Override public String address() { return "192.0.2.1"; }
    @Override public boolean isOpen() { return true; }

    /** The replies sent so far, decoded. */
    List<Response> replies() throws ProtocolException {
      ByteBuffer in = ByteBuffer.wrap(sent.toByteArray());
      List<Response> out = new ArrayList<>();
      while (in.hasRemaining()) {
        byte[] payload = new byte[in.getInt()];
        in.get(payload);
        out.add(MessageCodec.decodeResponse(payload));
      }
      return out;
    }
  }

  /** The session side: records frames and raw bytes; wants {@code raw} raw bytes after a frame saying "upload". */
  private static final class RecordingSession implements FrameHandler {
    final List<String> frames = new ArrayList<>();
    final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    long rawWanted;
    boolean loggedIn;
    final long rawAfterUpload;

    RecordingSession(long rawAfterUpload) {
      this.rawAfterUpload = rawAfterUpload;
    }

    @Override public void onOpen() {}
    @Override public void onFrame(byte[] payload) {
      String text = new String(payload, StandardCharsets.UTF_8);
      frames.add(text);
      if (text.equals("upload")) rawWanted = rawAfterUpload;
    }
    @Override public long rawBytesWanted() { return rawWanted; }
    @Override public void onRaw(ByteBuffer source) {
      int n = (int) Math.min(rawWanted, source.remaining());
      byte[] b = new byte[n];
      source.get(b);
      raw.writeBytes(b);
      rawWanted -= n;
    }
    @Override public int maxFrameBytes() {
      return loggedIn ? Frames.MAX_FRAME_BYTES : Frames.MAX_FRAME_BYTES_BEFORE_LOGIN;
    }
    @Override public boolean stream(ByteSink out) { return false; }
    @Override public boolean isTransferring() { return rawWanted > 0; }
    @Override public boolean isLoggedIn() { return loggedIn; }
    @Override public void onClose() {}
  }

  private final RecordingConnection connection = new RecordingConnection();
  private RecordingSession session;

  private Framing framing(long rawAfterUpload) {
    return new Framing(connection, peer -> session = new RecordingSession(rawAfterUpload));
  }

  private static byte[] frame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  /** Feeds {@code bytes} in pieces of the given sizes (cycled), as a connection would; returns requests counted. */
  private static int feed(Framing framing, byte[] bytes, int... pieces) {
    int requests = 0;
    int at = 0;
    for (int i = 0; at < bytes.length; i++) {
      int size = Math.min(pieces[i % pieces.length], bytes.length - at);
      ByteBuffer piece = ByteBuffer.wrap(bytes, at, size);
      while (piece.hasRemaining()) {
        int before = piece.position();
        if (framing.onInput(piece)) requests++;
        if (piece.position() == before) throw new AssertionError("no progress at byte " + at);
      }
      at += size;
    }
    return requests;
  }

  @Test
  void framesSplitAtEveryOddBoundaryComeOutWholeAndEachCountsAsOneRequest() {
    byte[] stream = concat(frame("one"), frame("{\"type\":\"pwd\"}"), frame(""), frame("x".repeat(3000)));
    for (int[] pieces : new int[][] {{1}, {3}, {2, 5}, {7, 1, 4096}, {stream.length}}) {
      Framing f = framing(0);
      int requests = feed(f, stream, pieces);
      assertEquals(List.of("one", "{\"type\":\"pwd\"}", "", "x".repeat(3000)), session.frames);
      assertEquals(4, requests);
      assertFalse(f.midMessage());
    }
  }

  @Test
  void aHalfArrivedFrameIsMidMessageAndHoldsOnlyWhatArrived() {
    Framing f = framing(0);
    byte[] big = frame("y".repeat(4000));
    feed(f, java.util.Arrays.copyOf(big, 4 + 100), 50);
    assertTrue(f.midMessage());
    assertTrue(f.bufferedBytes() <= 200, "held " + f.bufferedBytes());
    feed(f, java.util.Arrays.copyOfRange(big, 104, big.length), 999);
    assertFalse(f.midMessage());
    assertEquals(1, session.frames.size());
  }

  @Test
  void rawBytesAfterAnUploadHeaderGoToTheSessionAndTheNextFrameFollows() {
    byte[] file = new byte[10_000];
    new Random(7).nextBytes(file);
    Framing f = framing(file.length);
    int requests = feed(f, concat(frame("upload"), file, frame("commit")), 13, 1, 4097);
    assertArrayEquals(file, session.raw.toByteArray());
    assertEquals(List.of("upload", "commit"), session.frames);
    assertEquals(2, requests, "raw bytes are not requests");
  }

  @Test
  void theReadWindowIsWhatTheUploadStillNeedsOrOneRequestRead() {
    Framing f = framing(123);
    assertEquals(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN + Frames.HEADER_BYTES, f.readWindow());
    session.loggedIn = true;
    assertEquals(ConnectionLimits.FRAME_READ_BYTES, f.readWindow());
    feed(f, frame("upload"), 100);
    assertEquals(123, f.readWindow());
  }

  @Test
  void aFrameOverTheCapBeforeLoginGetsOneErrorAndTheConnectionCloses() throws Exception {
    Framing f = framing(0);
    byte[] header = ByteBuffer.allocate(4).putInt(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN + 1).array();
    feed(f, header, 3); // the connection reads nothing more once it is closing
    List<Response> replies = connection.replies();
    assertEquals(1, replies.size());
    assertEquals(ErrorCode.FRAME_TOO_LARGE.code(), assertInstanceOf(Response.Error.class, replies.get(0)).code());
    assertTrue(connection.closing);
    assertTrue(session.frames.isEmpty());
  }

  @Test
  void aNegativeLengthIsABadFrame() throws Exception {
    Framing f = framing(0);
    f.onInput(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0}));
    assertEquals(ErrorCode.BAD_FRAME.code(), ((Response.Error) connection.replies().get(0)).code());
    assertTrue(connection.closing);
  }

  @Test
  void repliesAreEncodedAsFramesAndLastWordsAreTheProtocolsOwn() throws Exception {
    Framing f = framing(0);
    f.send(new Response.Ok(Response.OK, "fine"));
    f.onTimeout("idle for too long");
    f.onShutdown();
    List<Response> replies = connection.replies();
    assertEquals("fine", ((Response.Ok) replies.get(0)).message());
    assertEquals(ErrorCode.TIMEOUT.code(), ((Response.Error) replies.get(1)).code());
    assertEquals("idle for too long", ((Response.Error) replies.get(1)).message());
    assertEquals(ErrorCode.SHUTTING_DOWN.code(), ((Response.Error) replies.get(2)).code());
  }

  @Test
  void startTlsReachesTheConnection() {
    Framing f = framing(0);
    f.startTls();
    assertTrue(connection.tlsStarted);
  }
}
