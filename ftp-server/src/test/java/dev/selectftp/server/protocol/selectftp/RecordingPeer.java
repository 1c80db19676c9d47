package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.Response;
import java.util.ArrayList;
import java.util.List;

/** A session's connection for tests without sockets: records the replies and what the session asks of it. */
final class RecordingPeer implements Peer {
  final List<Response> sent = new ArrayList<>();
  private final String address;
  boolean closing;
  int tlsStarts;

  RecordingPeer(String address) {
    this.address = address;
  }

  @Override public void send(Response response) { sent.add(response); }
  @Override public void pauseInput() {}
  @Override public void resumeInput() {}
  @Override public void startStreaming() {}
  @Override public void closeAfterFlush() { closing = true; }
  @Override public void startTls() { tlsStarts++; }
  @Override public String address() { return address; }
  @Override public boolean isOpen() { return true; }

  Response last() {
    return sent.get(sent.size() - 1);
  }
}
