package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.net.Door;
import dev.selectftp.server.net.Handler;
import dev.selectftp.server.net.Peer;
import java.nio.ByteBuffer;

/** The standard FTP door (RFC 959): each connection gets an {@link FtpControl}. */
public final class FtpDoor implements Door {
  private final FtpServices services;

  public FtpDoor(FtpServices services) {
    this.services = services;
  }

  @Override
  public Handler open(Peer peer) {
    return new FtpControl(services, peer);
  }

  /** 421: service not available, closing control connection (RFC 959 section 4.2). */
  @Override
  public ByteBuffer refusal(String why) {
    return Replies.line(421, why);
  }
}
