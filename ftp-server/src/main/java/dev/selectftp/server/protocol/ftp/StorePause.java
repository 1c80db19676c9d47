package dev.selectftp.server.protocol.ftp;

import dev.selectftp.server.transfer.Download;
import dev.selectftp.server.transfer.Upload;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * A data connection's pause while its store is behind: a download whose store (S3) has not fetched its next
 * bytes ({@link Download#behind}), or an upload whose store has not taken its last ones
 * ({@link Upload#congested}). Nothing moves while paused; the store's signal, posted to the loop, ends the
 * pause and has the connection served again. Loop-thread confined.
 */
final class StorePause {
  private final Executor loop;
  private final Runnable moveOn;
  private boolean paused;

  /**
   * @param loop where the store's signal is posted
   * @param moveOn runs on the loop once the store caught up, the pause already ended
   */
  StorePause(Executor loop, Runnable moveOn) {
    this.loop = loop;
    this.moveOn = moveOn;
  }

  boolean paused() {
    return paused;
  }

  /**
   * Before a download's slice: true (paused) while its store has not fetched the bytes at the send position;
   * nothing is sent until they arrived.
   *
   * @throws IOException the store failed or the file changed on it: the download cannot go on
   */
  boolean behind(Download download) throws IOException {
    paused = download.behind(loop, this::caughtUp);
    return paused;
  }

  /**
   * After an upload's slice: true (paused) when its store is behind, so the client's bytes wait in its
   * socket, not in the node's spool.
   */
  boolean congested(Upload upload) {
    if (upload.congested(loop, this::caughtUp)) paused = true;
    return paused;
  }

  private void caughtUp() {
    paused = false;
    moveOn.run();
  }
}
