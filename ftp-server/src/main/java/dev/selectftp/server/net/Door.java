package dev.selectftp.server.net;

import java.nio.ByteBuffer;

/** One protocol the server speaks: it makes a handler for each connection and knows how to turn one away. */
public interface Door {
  /** The handler of a new connection; {@code peer} is how it writes. */
  Handler open(Peer peer);

  /**
   * The bytes sent, best effort, to a client refused at the connection caps ({@code why} says which). Written
   * once without waiting, then the socket closes.
   */
  ByteBuffer refusal(String why);
}
