package dev.selectftp.server.net;

import dev.selectftp.server.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's input, served in slices, its fair share of the loop: one {@link #serve} offers kept input
 * and then new reads to the handler until a bound is reached, at most
 * {@link ConnectionLimits#REQUESTS_PER_SLICE} requests (the handler reports each one),
 * {@link ConnectionLimits#READ_BYTES_PER_SLICE} bytes read, and the loop's slice time, or until input blocks
 * or the handler takes no more. Input read and not handled is kept for the next slice: at most one read,
 * which is never larger than the handler's {@link Handler#readWindow()}. Reads go through the loop's scratch
 * buffer, so idle it holds nothing. Loop-thread confined.
 */
final class InputSlices {
  /** Logs under the connection's name: one name for one client's connection in the log. */
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final EventLoop loop;
  private final Deadlines deadlines;
  private final String address;
  /** True while input must not reach the handler (paused, output over its cap, upgrading, ...). */
  private final BooleanSupplier blocked;
  /** True once the handler asked for TLS: whatever it has not taken yet is dropped. */
  private final BooleanSupplier upgrading;
  /** Input read but not yet handled when a slice ended or input was blocked; at most one read's worth. */
  private ByteBuffer kept;
  /** The client sent its FIN: no more reads. */
  private boolean ended;
  /** Requests the handler handled in the current slice. */
  private int requests;
  /** The connection closed: nothing more is kept. */
  private boolean closed;

  InputSlices(EventLoop loop, Deadlines deadlines, String address, BooleanSupplier blocked,
      BooleanSupplier upgrading) {
    this.loop = loop;
    this.deadlines = deadlines;
    this.address = address;
    this.blocked = blocked;
    this.upgrading = upgrading;
  }

  /**
   * Serves one slice to {@code handler}: kept input first, then reads from {@code transport}, until a bound
   * of the slice is reached or input blocks or ends.
   */
  void serve(Transport transport, Handler handler) throws IOException {
    requests = 0;
    long read = 0;
    while (!closed && !blocked.getAsBoolean()) {
      ByteBuffer source = kept;
      if (source == null) {
        if (ended || read >= ConnectionLimits.READ_BYTES_PER_SLICE) return;
        source = loop.scratch();
        source.limit(Math.min(source.capacity(), Math.max(1, handler.readWindow())));
        int n = transport.read(source);
        if (n < 0) {
          log.debug("{}: client finished sending", address);
          ended = true;
          return;
        }
        if (n == 0) return;
        read += n;
        deadlines.activity();
        source.flip();
      }
      offer(source, handler);
      if (upgrading.getAsBoolean()) {
        // Whatever came after the request to upgrade is never handled (the STARTTLS injection class).
        source.position(source.limit());
        kept = null;
        return;
      }
      if (source == kept) {
        if (!kept.hasRemaining()) kept = null;
      } else if (source.hasRemaining() && !closed) {
        // The scratch buffer is shared: keep the unhandled tail (at most one read) for the next slice.
        kept = ByteBuffer.allocate(source.remaining()).put(source).flip();
      }
      if (requests >= ConnectionLimits.REQUESTS_PER_SLICE || loop.sliceExpired()) return;
    }
  }

  /** Offers input to the handler until it is used up, input blocks, the handler takes no more, or the slice ends. */
  private void offer(ByteBuffer buffer, Handler handler) {
    while (buffer.hasRemaining() && !closed && !blocked.getAsBoolean()) {
      if (requests >= ConnectionLimits.REQUESTS_PER_SLICE || (requests > 0 && loop.sliceExpired())) return;
      int before = buffer.position();
      boolean request = handler.onInput(buffer);
      if (request) requests++;
      deadlines.message(handler.midMessage());
      if (!request && buffer.position() == before) return; // the handler wants no more now
    }
  }

  /** True while input read earlier waits for a slice. */
  boolean hasKept() {
    return kept != null;
  }

  /** True once the client sent its FIN. */
  boolean ended() {
    return ended;
  }

  /** Bytes read and not yet offered to the handler (kept for a later slice). */
  int keptRemaining() {
    return kept == null ? 0 : kept.remaining();
  }

  /** Heap held for kept input. */
  long keptBytes() {
    return kept == null ? 0 : kept.capacity();
  }

  /** Forgets kept input: it is never handled. */
  void drop() {
    kept = null;
  }

  /** The connection closed: kept input is dropped and no slice serves anything any more. */
  void close() {
    closed = true;
    kept = null;
  }
}
