package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.server.storage.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A SelectFTP session as {@link Framing} drives it: whole frames, raw file bytes, and the download stream. */
public interface FrameHandler {
  /** The connection is open; sends the {@code hello}. */
  void onOpen();

  /** One complete frame's payload. */
  void onFrame(byte[] payload);

  /**
   * How many raw file bytes the session still expects before the next frame; 0 while the next input bytes
   * are frames.
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
   * Writes some bytes of a download in progress to {@code out}; returns true while more remain. Called only
   * after {@link Peer#startStreaming()} and only when no reply is queued ahead of the stream.
   */
  boolean stream(ByteSink out) throws IOException;

  /** True while a transfer is in flight, which a graceful shutdown lets finish. */
  boolean isTransferring();

  /** Whether the session has logged in. */
  boolean isLoggedIn();

  /** The connection is gone (either side); release everything. Called once. */
  void onClose();
}
