package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Response;
import dev.selectftp.server.storage.ByteSink;
import dev.selectftp.server.net.ConnectionLimits;
import dev.selectftp.server.net.Handler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SelectFTP wire on one connection: turns the bytes the connection reads into frames (and raw file
 * bytes during an upload) for the session, and the session's replies into frames. The frame cap follows the
 * session's state; a bad length prefix gets one error and the connection closes after it, since the byte
 * stream cannot be trusted any more. One frame is one request for the connection's per-slice count.
 */
public final class Framing implements Handler, Peer {
  private static final Logger log = LoggerFactory.getLogger(Framing.class);

  private final dev.selectftp.server.net.Peer connection;
  private final FrameHandler session;
  private FrameDecoder decoder = new FrameDecoder();

  /** @param sessions makes the session this framing feeds, given the peer it replies through */
  public Framing(dev.selectftp.server.net.Peer connection, Function<Peer, FrameHandler> sessions) {
    this.connection = connection;
    this.session = sessions.apply(this);
  }

  @Override
  public void onOpen() {
    session.onOpen();
  }

  @Override
  public boolean onInput(ByteBuffer source) {
    if (session.rawBytesWanted() > 0) {
      session.onRaw(source);
      return false;
    }
    byte[] frame;
    try {
      frame = decoder.next(source, session.maxFrameBytes());
    } catch (ProtocolException e) {
      log.info("{}: {} ({}), closing", connection.address(), e.getMessage(), e.code().code());
      send(Response.Error.of(e.code(), e.getMessage()));
      connection.closeAfterFlush();
      return false;
    }
    if (frame == null) return false;
    session.onFrame(frame);
    return true;
  }

  /** Raw bytes: no more than the upload still needs. Frames: one read of pipelined requests, within the cap. */
  @Override
  public int readWindow() {
    long raw = session.rawBytesWanted();
    if (raw > 0) return (int) Math.min(raw, Integer.MAX_VALUE);
    return Math.min(ConnectionLimits.FRAME_READ_BYTES, session.maxFrameBytes() + Frames.HEADER_BYTES);
  }

  @Override
  public boolean midMessage() {
    return decoder.hasPartialFrame();
  }

  @Override
  public long bufferedBytes() {
    return decoder.bufferedBytes();
  }

  @Override
  public boolean stream(ByteSink out) throws IOException {
    return session.stream(out);
  }

  @Override
  public boolean isTransferring() {
    return session.isTransferring();
  }

  @Override
  public boolean isLoggedIn() {
    return session.isLoggedIn();
  }

  @Override
  public void onShutdown() {
    send(Response.Error.of(ErrorCode.SHUTTING_DOWN, "the server is shutting down"));
  }

  @Override
  public void onTimeout(String reason) {
    send(Response.Error.of(ErrorCode.TIMEOUT, reason));
  }

  @Override
  public void onClose() {
    session.onClose();
  }

  @Override
  public void send(Response response) {
    connection.send(MessageCodec.encode(response));
  }

  @Override
  public void pauseInput() {
    connection.pauseInput();
  }

  @Override
  public void resumeInput() {
    connection.resumeInput();
  }

  @Override
  public void startStreaming() {
    connection.startStreaming();
  }

  @Override
  public void closeAfterFlush() {
    connection.closeAfterFlush();
  }

  /** Whatever the decoder holds past the {@code start-tls} frame is dropped with the connection's kept input. */
  @Override
  public void startTls() {
    decoder = new FrameDecoder();
    connection.startTls();
  }

  @Override
  public byte[] channelBinding() {
    return connection.channelBinding();
  }

  @Override
  public String address() {
    return connection.address();
  }

  @Override
  public boolean isOpen() {
    return connection.isOpen();
  }
}
