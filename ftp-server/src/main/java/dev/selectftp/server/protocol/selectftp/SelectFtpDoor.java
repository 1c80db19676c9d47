package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.Response;
import dev.selectftp.server.net.Door;
import dev.selectftp.server.net.Handler;
import java.nio.ByteBuffer;
import java.util.function.Function;

/** The SelectFTP protocol's door: each connection gets a {@link Framing} around a new session. */
public final class SelectFtpDoor implements Door {
  private final Function<Peer, FrameHandler> sessions;

  public SelectFtpDoor(Function<Peer, FrameHandler> sessions) {
    this.sessions = sessions;
  }

  @Override
  public Handler open(dev.selectftp.server.net.Peer peer) {
    return new Framing(peer, sessions);
  }

  @Override
  public ByteBuffer refusal(String why) {
    return MessageCodec.encode(Response.Error.of(ErrorCode.TOO_MANY_CONNECTIONS, why));
  }
}
