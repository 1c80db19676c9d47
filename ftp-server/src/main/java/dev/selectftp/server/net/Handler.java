package dev.selectftp.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** The protocol side of a connection: what {@link Connection} feeds bytes and frames into. */
public interface Handler {
  /** The connection is registered; typically sends a greeting. */
  void onOpen();

  /** One complete frame's payload. */
  void onFrame(byte[] payload);

  /** True while the next input bytes are raw file bytes rather than frames. */
  boolean wantsRaw();

  /** Consumes some raw bytes from {@code source} (never more than are expected). */
  void onRaw(ByteBuffer source);

  /**
   * Writes some bytes of a stream in progress to {@code out}; returns true while more remain. Called
   * only after {@link Peer#startStreaming()} and only when no reply is queued ahead of the stream.
   */
  boolean stream(WritableByteChannel out) throws IOException;

  /** True while a transfer is in flight, which a graceful shutdown lets finish. */
  boolean isTransferring();

  /** Whether the session has logged in, for the login timeout. */
  boolean isLoggedIn();

  /** The connection is gone (either side); release everything. Called once. */
  void onClose();
}
