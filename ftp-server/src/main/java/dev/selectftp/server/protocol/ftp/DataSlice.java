package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.net.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One slice of a data transfer over its transport: what a data connection does per readiness event, so one
 * transfer never holds the loop. Plain downloads go zero-copy ({@code transferTo}); over TLS the file is read
 * through the loop's scratch buffer and encrypted.
 */
final class DataSlice {
  /** What a slice left: more to move, every byte moved, or the input ended without TLS close_notify. */
  enum Outcome { MORE, DONE, TRUNCATED }

  private DataSlice() {}

  /**
   * Moves some bytes of {@code transfer}: writes what the socket takes now, or reads what has arrived (at
   * most the scratch buffer's size) and hands it to the upload.
   */
  static Outcome move(DataTransfer transfer, Transport transport, ByteBuffer scratch) throws IOException {
    if (transfer instanceof DataTransfer.Listing listing) {
      return listing.stream().send(transport) ? Outcome.MORE : Outcome.DONE;
    }
    if (transfer instanceof DataTransfer.Send send) {
      return send.download().send(transport, scratch) ? Outcome.MORE : Outcome.DONE;
    }
    DataTransfer.Receive receive = (DataTransfer.Receive) transfer;
    scratch.clear();
    int n = 0;
    // TLS hands out one record per read: keep reading while records are there, up to one scratch buffer.
    while (scratch.hasRemaining() && (n = transport.read(scratch)) > 0) { }
    scratch.flip();
    // receive() says false once the upload is over its quota: the sender is cut off at once, not read to its end
    if (scratch.hasRemaining() && !receive.upload().receive(scratch)) return Outcome.DONE;
    if (n >= 0) return Outcome.MORE;
    return transport.truncated() ? Outcome.TRUNCATED : Outcome.DONE;
  }
}
