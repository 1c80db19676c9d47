package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frames that arrive split across reads, with the next frame's bytes right behind them. */
class FrameDecoderPiecesTest {
  private static ByteBuffer frames(String... payloads) {
    ByteBuffer out = ByteBuffer.allocate(1024);
    for (String p : payloads) {
      byte[] b = p.getBytes(StandardCharsets.UTF_8);
      out.putInt(b.length).put(b);
    }
    return out.flip();
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Test
  void theRestOfASplitFrameIsTakenWithoutTheNextFramesBytes() throws ProtocolException {
    ByteBuffer wire = frames("first-frame", "second");
    FrameDecoder decoder = new FrameDecoder();
    assertNull(decoder.next(wire.slice(0, 8)));
    ByteBuffer rest = wire.slice(8, wire.remaining() - 8);
    assertEquals("first-frame", text(decoder.next(rest)));
    assertEquals("second", text(decoder.next(rest)));
    assertFalse(rest.hasRemaining());
  }

  @Test
  void aFreshDecoderAndOneBetweenFramesHoldNoPartialFrame() throws ProtocolException {
    FrameDecoder decoder = new FrameDecoder();
    assertFalse(decoder.hasPartialFrame());
    ByteBuffer wire = frames("one", "two");
    decoder.next(wire);
    assertFalse(decoder.hasPartialFrame());
    assertNull(decoder.next(wire.slice(wire.position(), 2)));
    assertTrue(decoder.hasPartialFrame());
  }

  @Test
  void aFrameArrivingByteByByteIsCopiedOnlyLogarithmicallyOften() throws ProtocolException {
    byte[] payload = new byte[4096];
    ByteBuffer wire = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    FrameDecoder decoder = new FrameDecoder();
    int reallocations = 0;
    int held = 0;
    byte[] frame = null;
    while (wire.hasRemaining()) {
      frame = decoder.next(wire.slice(wire.position(), 1));
      wire.position(wire.position() + 1);
      if (frame == null && decoder.bufferedBytes() != held) {
        reallocations++;
        held = decoder.bufferedBytes();
      }
    }
    assertArrayEquals(payload, frame);
    assertTrue(reallocations <= 14, "the buffer grew " + reallocations + " times for 4096 bytes");
  }
}
