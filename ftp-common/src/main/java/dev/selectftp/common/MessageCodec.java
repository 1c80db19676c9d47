package dev.selectftp.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Turns messages into frames and frame payloads back into messages, mapping every kind of bad input to
 * a {@link ProtocolException} with a stable code. Thread-safe.
 */
public final class MessageCodec {
  /** Deeper JSON than any message needs; a nesting bomb fails fast instead of recursing. */
  public static final int MAX_NESTING_DEPTH = 16;

  private static final ObjectMapper MAPPER = newMapper();

  private MessageCodec() {}

  private static ObjectMapper newMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(Frames.MAX_FRAME_BYTES)
            .maxNumberLength(32)
            .build())
        .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    // "size":"12" or "dir":"true" are type errors on this wire, not values to guess at.
    mapper.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /** The JSON text of one message, without the length prefix. */
  public static String json(Object message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("message records always serialize", e);
    }
  }

  /** Encodes a message as one frame (length prefix + JSON), ready to write. */
  public static ByteBuffer encode(Object message) {
    byte[] payload;
    try {
      payload = MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("message records always serialize", e);
    }
    if (payload.length > Frames.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("message of " + payload.length + " bytes exceeds the frame cap");
    }
    ByteBuffer frame = ByteBuffer.allocate(Frames.HEADER_BYTES + payload.length);
    frame.putInt(payload.length).put(payload).flip();
    return frame;
  }

  public static Request decodeRequest(byte[] payload) throws ProtocolException {
    return decode(payload, Request.class);
  }

  public static Response decodeResponse(byte[] payload) throws ProtocolException {
    return decode(payload, Response.class);
  }

  private static <T> T decode(byte[] payload, Class<T> type) throws ProtocolException {
    if (payload.length == 0) throw new ProtocolException(ErrorCode.BAD_JSON, "empty frame");
    try (JsonParser parser = MAPPER.createParser(payload)) {
      // Checked before the mapper sees it: Jackson reads [type, {...}] as a type id wrapped in an array and
      // would answer [1,2] with unknown-type, "x" or 42 with a field error. Any other value is not a message.
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not a JSON object");
      }
      T message = MAPPER.readValue(parser, type);
      if (parser.nextToken() != null) {
        throw new ProtocolException(ErrorCode.BAD_JSON, "frame holds more than one JSON value");
      }
      return message;
    } catch (InvalidTypeIdException e) {
      String id = e.getTypeId();
      throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
          id == null ? "message has no \"type\"" : "unknown message type \"" + printable(id) + "\"");
    } catch (UnrecognizedPropertyException e) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST,
          "unknown field \"" + printable(e.getPropertyName()) + "\"");
    } catch (ValueInstantiationException e) {
      // Our compact constructors throw IllegalArgumentException with a message written for the peer.
      Throwable cause = e.getCause();
      if (cause instanceof Checks.BadPath badPath) throw new ProtocolException(ErrorCode.BAD_PATH, badPath.getMessage());
      String why = cause instanceof IllegalArgumentException ? cause.getMessage() : "invalid message";
      throw new ProtocolException(ErrorCode.BAD_REQUEST, why);
    } catch (StreamConstraintsException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "JSON exceeds nesting or size limits");
    } catch (MismatchedInputException e) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing or mistyped field" + fieldOf(e));
    } catch (JsonProcessingException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not one JSON object");
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not one JSON object");
    }
  }

  private static String fieldOf(MismatchedInputException e) {
    if (e.getPath().isEmpty()) return "";
    String name = e.getPath().get(e.getPath().size() - 1).getFieldName();
    return name == null ? "" : " \"" + printable(name) + "\"";
  }

  /** Keeps an echoed client string short and free of control characters. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < 64; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }
}
