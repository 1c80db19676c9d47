package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.storage.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/** A plain data connection as a {@link ByteSink}: partial writes, zero copy for files. */
record SocketSink(SocketChannel socket) implements ByteSink {
  @Override
  public int write(ByteBuffer source) throws IOException {
    return socket.write(source);
  }

  @Override
  public long transferFrom(FileChannel file, long position, long count) throws IOException {
    return file.transferTo(position, count, socket);
  }
}
