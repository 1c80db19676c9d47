package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 9, class 3: a frame costs the bytes that arrived, not the bytes its header announces. */
class FrameDecoderGrowthTest {
  @Test
  void anAnnouncedFrameWithOneByteHoldsOneByte() throws ProtocolException {
    FrameDecoder decoder = new FrameDecoder();
    assertNull(decoder.next(ByteBuffer.allocate(5).putInt(Frames.MAX_FRAME_BYTES).put((byte) '{').flip()));
    assertTrue(decoder.hasPartialFrame());
    assertEquals(1, decoder.bufferedBytes(), "one byte arrived, one byte held");
  }

  @Test
  void aFrameArrivingInPiecesGrowsByDoublingAndEndsExact() throws ProtocolException {
    byte[] payload = new byte[50_000];
    new Random(3).nextBytes(payload);
    ByteBuffer whole = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    FrameDecoder decoder = new FrameDecoder();
    byte[] frame = null;
    int steps = 0;
    while (whole.hasRemaining()) {
      ByteBuffer piece = whole.slice().limit(Math.min(100, whole.remaining()));
      whole.position(whole.position() + piece.limit());
      frame = decoder.next(piece);
      if (frame == null) {
        int arrived = whole.position() - 4;
        assertTrue(decoder.bufferedBytes() <= Math.max(2 * arrived, 1), "held " + decoder.bufferedBytes()
            + " bytes after " + arrived + " arrived");
      }
      steps++;
    }
    assertArrayEquals(payload, frame);
    assertEquals(0, decoder.bufferedBytes());
    assertTrue(steps > 400);
  }

  @Test
  void aWholeFrameInOneBufferIsAllocatedOnceAtItsSize() throws ProtocolException {
    byte[] payload = "{\"type\":\"pwd\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer in = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    assertArrayEquals(payload, new FrameDecoder().next(in));
  }

  @Test
  void aSmallerCapRefusesALargerHeader() {
    ByteBuffer in = ByteBuffer.allocate(4).putInt(Frames.MAX_FRAME_BYTES_BEFORE_LOGIN + 1).flip();
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> new FrameDecoder().next(in, Frames.MAX_FRAME_BYTES_BEFORE_LOGIN));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
  }

  @Test
  void theCapNeverExceedsTheProtocolMaximum() {
    ByteBuffer in = ByteBuffer.allocate(4).putInt(Frames.MAX_FRAME_BYTES + 1).flip();
    assertEquals(ErrorCode.FRAME_TOO_LARGE,
        assertThrows(ProtocolException.class, () -> new FrameDecoder().next(in, Integer.MAX_VALUE)).code());
  }
}
