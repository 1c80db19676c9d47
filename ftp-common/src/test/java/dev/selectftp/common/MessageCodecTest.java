package dev.selectftp.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad payloads map to stable codes and never to an exception the server would not expect. */
class MessageCodecTest {
  private static ErrorCode refusal(String json) {
    return assertThrows(ProtocolException.class,
        () -> MessageCodec.decodeRequest(json.getBytes(StandardCharsets.UTF_8))).code();
  }

  @Test
  void nonJsonIsBadJson() {
    assertEquals(ErrorCode.BAD_JSON, refusal("hello there"));
    assertEquals(ErrorCode.BAD_JSON, refusal("{\"type\":\"pwd\""));
    assertEquals(ErrorCode.BAD_JSON, refusal("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void twoObjectsInOneFrameAreBadJson() {
    assertEquals(ErrorCode.BAD_JSON, refusal("{\"type\":\"pwd\"}{\"type\":\"pwd\"}"));
  }

  @Test
  void unknownTypeIsNamedInTheError() {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> MessageCodec.decodeRequest("{\"type\":\"format-disk\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
    assertTrue(e.getMessage().contains("format-disk"));
  }

  @Test
  void missingTypeIsUnknownType() {
    assertEquals(ErrorCode.UNKNOWN_TYPE, refusal("{\"path\":\"x\"}"));
  }

  @Test
  void serverMessageTypesAreUnknownToTheServer() {
    assertEquals(ErrorCode.UNKNOWN_TYPE, refusal("{\"type\":\"hello\",\"status\":200}"));
  }

  @Test
  void missingRequiredFieldIsBadRequest() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"mkdir\"}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put\",\"path\":\"a\"}"));
  }

  @Test
  void extraFieldIsBadRequest() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"pwd\",\"sudo\":true}"));
  }

  @Test
  void wrongFieldTypeIsBadRequest() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put\",\"path\":\"a\",\"size\":\"big\"}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put\",\"path\":\"a\",\"size\":1.5}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put\",\"path\":\"a\",\"size\":null}"));
  }

  @Test
  void numbersSentAsStringsAreRefusedNotCoerced() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put\",\"path\":\"a\",\"size\":\"12\"}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put-data\",\"offset\":true,\"length\":1}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"mkdir\",\"path\":12}"));
  }

  @Test
  void invalidValuesAreRefusedByTheRecordsThemselves() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put\",\"path\":\"a\",\"size\":-1}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"put-commit\",\"sha256\":\"nothex\"}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"get\",\"path\":\"a\",\"offset\":5}"));
  }

  @Test
  void aListingCursorMustBeANonEmptyStringOfBoundedLength() {
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"list\",\"after\":\"\"}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"list\",\"after\":12}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"list\",\"after\":[\"a\"]}"));
    String tooLong = "a".repeat(Request.MAX_CURSOR_CHARS + 1);
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"list\",\"after\":\"" + tooLong + "\"}"));
    assertEquals(ErrorCode.BAD_REQUEST, refusal("{\"type\":\"list\",\"cursor\":\"a\"}"));
  }

  @Test
  void aListingCursorOfTheLongestNameIsAccepted() throws Exception {
    String longest = "\u20AC".repeat(85); // 255 UTF-8 bytes
    Request r = MessageCodec.decodeRequest(
        ("{\"type\":\"list\",\"path\":\"/d\",\"after\":\"" + longest + "\"}").getBytes(StandardCharsets.UTF_8));
    assertEquals(new Request.List("/d", longest), r);
  }

  @Test
  void aListingReplyWithoutEntriesIsRefused() {
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decodeResponse(
        "{\"type\":\"listing\",\"status\":200,\"message\":\"m\",\"path\":\"/\",\"next\":null}"
            .getBytes(StandardCharsets.UTF_8)));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutRecursingDeep() {
    String bomb = "[".repeat(10_000) + "]".repeat(10_000);
    // Before "type", so the polymorphic reader must buffer (and so parse) the whole nest.
    assertEquals(ErrorCode.BAD_JSON, refusal("{\"x\":" + bomb + ",\"type\":\"pwd\"}"));
  }

  @Test
  void pathOverTheRecordLimitIsBadPathButAtTheLimitIsAccepted() {
    String path = "a".repeat(Request.MAX_PATH_CHARS + 1);
    assertEquals(ErrorCode.BAD_PATH, refusal("{\"type\":\"mkdir\",\"path\":\"" + path + "\"}"));
    assertEquals(ErrorCode.BAD_PATH, refusal("{\"type\":\"rename\",\"from\":\"a\",\"to\":\"" + path + "\"}"));
    String atLimit = "{\"type\":\"mkdir\",\"path\":\"" + path.substring(1) + "\"}";
    assertInstanceOf(Request.MakeDir.class, assertDoesNotThrow(
        () -> MessageCodec.decodeRequest(atLimit.getBytes(StandardCharsets.UTF_8))));
    // Other over-long fields stay malformed messages.
    assertEquals(ErrorCode.BAD_REQUEST,
        refusal("{\"type\":\"auth-start\",\"scram\":\"" + "n".repeat(Request.MAX_SCRAM_CHARS + 1) + "\"}"));
  }

  @Test
  void jsonNullAndNonObjectsAreBadJson() {
    for (String json : new String[] {"null", "[1,2]", "[]", "[\"pwd\",{}]", "42", "\"x\"", "true", " "}) {
      assertEquals(ErrorCode.BAD_JSON, refusal(json), json);
    }
  }

  @Test
  void encodedFrameStartsWithItsPayloadLength() {
    var frame = MessageCodec.encode(new Request.PrintDir());
    int length = frame.getInt();
    assertEquals(frame.remaining(), length);
    assertEquals("{\"type\":\"pwd\"}", StandardCharsets.UTF_8.decode(frame).toString());
  }
}
