package dev.selectftp.server.loop;

/**
 * Where blocking work goes and where its result comes back: a {@link Background} pool posting to the loop in
 * the server, or {@link #INLINE} (at once, on the caller's thread) for a caller that is not the loop, such as
 * a test driving the core's rules directly or an admin command. Lets the core describe a step as "this part
 * may block, this part runs on the loop" once, whoever runs it.
 */
public interface Offload {
  /** Runs {@code work} where blocking is allowed, then {@code result} where results go; exactly once each. */
  <T> void run(Background.Work<T> work, Background.Result<T> result);

  /** Runs both at once on the calling thread: never use it on the event loop. */
  Offload INLINE = new Offload() {
    @Override
    public <T> void run(Background.Work<T> work, Background.Result<T> result) {
      T value;
      try {
        value = work.run();
      } catch (Exception e) {
        result.accept(null, e);
        return;
      }
      result.accept(value, null);
    }
  };
}
