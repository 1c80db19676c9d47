package dev.selectftp.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bytes as they are: reads and writes go straight to the socket; file bytes go zero-copy. Holds no buffer. */
final class PlainTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(PlainTransport.class);
  private final SocketChannel channel;

  PlainTransport(SocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    return channel.read(into);
  }

  @Override
  public long write(ByteBuffer[] sources) throws IOException {
    return sources.length == 1 ? channel.write(sources[0]) : channel.write(sources);
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    return channel.write(source);
  }

  @Override
  public long transferFrom(FileChannel file, long position, long count) throws IOException {
    return file.transferTo(position, count, channel);
  }

  @Override
  public boolean flush() {
    return true;
  }

  @Override
  public boolean hasPendingOutput() {
    return false;
  }

  @Override
  public boolean hasBufferedInput() {
    return false;
  }

  @Override
  public boolean busy() {
    return false;
  }

  @Override
  public boolean handshaking() {
    return false;
  }

  @Override
  public long bufferedBytes() {
    return 0;
  }

  @Override
  public void trim() {}

  @Override
  public byte[] channelBinding() {
    return null;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("close failed: {}", e.toString());
    }
  }
}
