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

  /**
   * How many raw file bytes the handler still expects before the next frame; 0 while the next input bytes
   * are frames. The connection reads no more than this from the socket, so it keeps nothing past an upload.
   */
  long rawBytesWanted();

  /** Consumes some raw bytes from {@code source}, never more than {@link #rawBytesWanted()}. */
  void onRaw(ByteBuffer source);

  /**
   * The largest frame payload accepted right now (the cap for a frame whose header arrives next). Small
   * before login, so an anonymous peer pins little memory with a half-sent frame.
   */
  int maxFrameBytes();

  /**
   * Writes some bytes of a stream in progress to {@code out}; returns true while more remain. Called
   * only after {@link Peer#startStreaming()} and only when no reply is queued ahead of the stream.
   */
  boolean stream(WritableByteChannel out) throws IOException;

  /** True while a transfer is in flight, which a graceful shutdown lets finish. */
  boolean isTransferring();

  /** Whether the session has logged in, for the login timeout and the per-connection caps. */
  boolean isLoggedIn();

  /** The connection is gone (either side); release everything. Called once. */
  void onClose();
}
