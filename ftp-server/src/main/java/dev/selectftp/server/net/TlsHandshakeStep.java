package dev.selectftp.server.net;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * One step of a server handshake, run on a helper thread while the connection waits: the engine parses the
 * client's messages, runs its delegated tasks and produces the server's flight (signatures, key agreement,
 * key derivation) until it needs more bytes from the client or is done. It touches only the engine and the
 * buffers handed to it; the loop takes them back with the {@link Result}.
 */
final class TlsHandshakeStep {
  /**
   * No bytes: what a handshake wrap reads and a handshake unwrap writes (the loop's wraps too). With no
   * capacity nothing can change in it, so threads share it safely.
   */
  static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /**
   * What a step hands back: the client bytes left ({@code inShort}: only part of a record), the flight
   * produced (ready to read, or null), whether the handshake is done, whether the client closed, and how the
   * step failed (the flight then holds the alert).
   */
  record Result(ByteBuffer in, boolean inShort, ByteBuffer out, boolean done, boolean inputClosed,
      SSLException failure) {}

  private TlsHandshakeStep() {}

  /**
   * Runs the engine's handshake work on {@code source} (the client's bytes, or null); a new output buffer
   * has room for {@code records} records.
   */
  static Result run(SSLEngine engine, ByteBuffer source, int records) {
    ByteBuffer in = source;
    ByteBuffer out = null;
    try {
      while (true) {
        switch (engine.getHandshakeStatus()) {
          case NEED_TASK -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) task.run();
          }
          case NEED_WRAP -> {
            out = room(engine, out, records);
            SSLEngineResult r = engine.wrap(EMPTY, out);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              return new Result(in, false, out.flip(), false, false, new SSLException("the handshake was refused"));
            }
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            if (in == null) return new Result(null, false, flipped(out), false, false, null);
            SSLEngineResult r = engine.unwrap(in, EMPTY);
            if (!in.hasRemaining()) in = null;
            switch (r.getStatus()) {
              case BUFFER_UNDERFLOW -> {
                return new Result(in, true, flipped(out), false, false, null);
              }
              case CLOSED -> {
                return new Result(in, false, flipped(out), false, true, null);
              }
              case BUFFER_OVERFLOW -> {
                return new Result(in, false, flipped(out), true, false, null); // application data: done
              }
              default -> { }
            }
          }
          default -> {
            return new Result(in, false, flipped(out), true, false, null);
          }
        }
      }
    } catch (SSLException e) {
      try { // the alert the engine holds for the client
        engine.closeOutbound();
        out = room(engine, out, records);
        engine.wrap(EMPTY, out);
      } catch (SSLException | RuntimeException ignored) {
        // the failure below is what matters
      }
      return new Result(in, false, flipped(out), false, false, e);
    }
  }

  /** {@code out} (filling) with room for one more record: new, or grown. */
  private static ByteBuffer room(SSLEngine engine, ByteBuffer out, int records) {
    int needed = engine.getSession().getPacketBufferSize();
    if (out == null) return ByteBuffer.allocate(needed * records);
    if (out.remaining() >= needed) return out;
    return ByteBuffer.allocate(out.capacity() + needed * records).put(out.flip());
  }

  private static ByteBuffer flipped(ByteBuffer out) {
    return out == null ? null : out.flip();
  }

}
