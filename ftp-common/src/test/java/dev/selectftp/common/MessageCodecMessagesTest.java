package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a refused frame's error says (the peer reads it), and the exact size limit of an encoded frame. */
class MessageCodecMessagesTest {
  private static ProtocolException refusal(String json) {
    return assertThrows(ProtocolException.class,
        () -> MessageCodec.decodeRequest(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aValueTheRecordRefusesIsExplainedInTheRecordsOwnWords() {
    ProtocolException e = refusal("{\"type\":\"put\",\"path\":\"/a\",\"size\":-1}");
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertEquals("size must not be negative", e.getMessage());
  }

  @Test
  void aMissingFieldIsNamed() {
    ProtocolException e = refusal("{\"type\":\"put\",\"path\":\"/a\"}");
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertEquals("missing or mistyped field \"size\"", e.getMessage());
  }

  @Test
  void anEchoedUnknownTypeIsCutToSixtyFourCharacters() {
    ProtocolException e = refusal("{\"type\":\"" + "t".repeat(100) + "\"}");
    assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
    assertEquals("unknown message type \"" + "t".repeat(64) + "\"", e.getMessage());
  }

  @Test
  void aMessageOfExactlyTheFrameCapEncodesAndOneByteMoreDoesNot() {
    int overhead = MessageCodec.encode(Response.Error.of(ErrorCode.INTERNAL, "")).remaining()
        - Frames.HEADER_BYTES;
    String fill = "x".repeat(Frames.MAX_FRAME_BYTES - overhead);
    ByteBuffer frame = MessageCodec.encode(Response.Error.of(ErrorCode.INTERNAL, fill));
    assertEquals(Frames.HEADER_BYTES + Frames.MAX_FRAME_BYTES, frame.remaining());
    assertEquals(Frames.MAX_FRAME_BYTES, frame.getInt(0));
    assertThrows(IllegalArgumentException.class,
        () -> MessageCodec.encode(Response.Error.of(ErrorCode.INTERNAL, fill + "x")));
  }
}
