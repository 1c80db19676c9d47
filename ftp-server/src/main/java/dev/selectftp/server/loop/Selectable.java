package dev.selectftp.server.loop;

/** Whatever is attached to a selection key: the event loop only calls these. */
public interface Selectable {
  /** Handles the ready operations of one select pass. Must not block and must return promptly. */
  void onReady(int readyOps);

  /** Releases the channel and everything it holds; safe to call twice. */
  void close();
}
