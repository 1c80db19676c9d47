package dev.selectftp.server.storage;

import java.io.IOException;

/**
 * An I/O failure already found, off the loop, to come from a store that is (nearly) out of space
 * ({@link Storage#lowOnSpace}), so that a door reports it as a full disk without asking the store on the loop.
 */
public final class OutOfSpace extends IOException {
  private static final long serialVersionUID = 1L;

  public OutOfSpace(IOException cause) {
    super(cause.getMessage(), cause);
  }
}
