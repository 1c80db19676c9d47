package dev.selectftp.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The bare socket: reads land straight in the caller's buffer, writes leave from the caller's buffers. */
final class PlainTransport implements Transport {
  private final SocketChannel channel;
  private final SocketReads reads;

  PlainTransport(SocketChannel channel, SocketReads reads) {
    this.channel = channel;
    this.reads = reads;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return reads.read(dst);
  }

  @Override
  public void write(ByteBuffer... srcs) throws IOException {
    while (TlsTransport.anyRemaining(srcs)) channel.write(srcs);
  }

  @Override
  public byte[] channelBinding() {
    return null;
  }
}
