package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static byte[] frameBytes(Object message) {
    ByteBuffer frame = MessageCodec.encode(message);
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    return bytes;
  }

  @Test
  void frameSplitAtEveryByteBoundaryDecodesToTheSameMessage() throws Exception {
    byte[] whole = frameBytes(new Request.Rename("a.txt", "docs/b.txt"));
    for (int split = 0; split <= whole.length; split++) {
      FrameDecoder decoder = new FrameDecoder();
      byte[] first = decoder.next(ByteBuffer.wrap(whole, 0, split));
      if (split < whole.length) {
        assertNull(first, "complete too early at split " + split);
        byte[] payload = decoder.next(ByteBuffer.wrap(whole, split, whole.length - split));
        assertEquals(new Request.Rename("a.txt", "docs/b.txt"), MessageCodec.decodeRequest(payload));
      } else {
        assertEquals(new Request.Rename("a.txt", "docs/b.txt"), MessageCodec.decodeRequest(first));
      }
    }
  }

  @Test
  void frameFedOneByteAtATimeDecodes() throws Exception {
    byte[] whole = frameBytes(new Request.MakeDir("photos"));
    FrameDecoder decoder = new FrameDecoder();
    byte[] payload = null;
    for (byte b : whole) {
      assertNull(payload);
      payload = decoder.next(ByteBuffer.wrap(new byte[] {b}));
    }
    assertEquals(new Request.MakeDir("photos"), MessageCodec.decodeRequest(payload));
  }

  @Test
  void twoFramesInOneReadComeOutOneAtATime() throws Exception {
    byte[] a = frameBytes(new Request.PrintDir());
    byte[] b = frameBytes(new Request.QuotaQuery());
    ByteBuffer both = ByteBuffer.allocate(a.length + b.length + 3).put(a).put(b).put(new byte[] {0, 0, 0}).flip();
    FrameDecoder decoder = new FrameDecoder();
    List<Request> out = new ArrayList<>();
    byte[] payload;
    while ((payload = decoder.next(both)) != null) out.add(MessageCodec.decodeRequest(payload));
    assertEquals(List.of(new Request.PrintDir(), new Request.QuotaQuery()), out);
    assertTrue(decoder.hasPartialFrame(), "three bytes of the next header are kept");
    assertFalse(both.hasRemaining());
  }

  @Test
  void bytesAfterAFrameStayInTheBufferForRawData() throws Exception {
    byte[] header = frameBytes(new Request.PutData(0, 3));
    ByteBuffer in = ByteBuffer.allocate(header.length + 3).put(header).put(new byte[] {7, 8, 9}).flip();
    assertEquals(new Request.PutData(0, 3), MessageCodec.decodeRequest(new FrameDecoder().next(in)));
    assertEquals(3, in.remaining());
    assertEquals(7, in.get());
  }

  @Test
  void lengthOneOverTheCapIsRefusedBeforeAllocation() {
    ByteBuffer in = ByteBuffer.allocate(4).putInt(Frames.MAX_FRAME_BYTES + 1).flip();
    ProtocolException e = assertThrows(ProtocolException.class, () -> new FrameDecoder().next(in));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    assertTrue(e.isFatal());
  }

  @Test
  void lengthOfTwoToTheThirtyOneMinusOneIsRefused() {
    ByteBuffer in = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip();
    assertEquals(ErrorCode.FRAME_TOO_LARGE,
        assertThrows(ProtocolException.class, () -> new FrameDecoder().next(in)).code());
  }

  @Test
  void negativeLengthIsRefused() {
    ByteBuffer in = ByteBuffer.allocate(4).putInt(-1).flip();
    ProtocolException e = assertThrows(ProtocolException.class, () -> new FrameDecoder().next(in));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.isFatal());
  }

  @Test
  void lengthExactlyAtTheCapIsAccepted() throws Exception {
    ByteBuffer in = ByteBuffer.allocate(4 + Frames.MAX_FRAME_BYTES).putInt(Frames.MAX_FRAME_BYTES)
        .put(new byte[Frames.MAX_FRAME_BYTES]).flip();
    assertEquals(Frames.MAX_FRAME_BYTES, new FrameDecoder().next(in).length);
  }

  @Test
  void zeroLengthFrameIsAnEmptyPayloadThatTheCodecRefuses() throws Exception {
    byte[] payload = new FrameDecoder().next(ByteBuffer.allocate(4).putInt(0).flip());
    assertArrayEquals(new byte[0], payload);
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decodeRequest(payload));
    assertEquals(ErrorCode.BAD_JSON, e.code());
    assertFalse(e.isFatal());
  }
}
