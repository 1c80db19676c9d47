package dev.selectftp.server.testing;

import dev.selectftp.server.loop.Background;
import dev.selectftp.server.refusal.Refused;
import java.util.function.Consumer;

/**
 * The outcome of an asynchronous core call whose store calls run {@code Offload.INLINE}: it has answered by
 * the time the call returns, so a test reads it as a plain return value or a thrown {@link Refused}.
 */
public final class Answered {
  private Answered() {}

  /**
   * @throws Refused the call's refusal
   * @throws IllegalStateException if the call did not answer at once, or failed otherwise
   */
  public static <T> T now(Consumer<Background.Result<T>> call) throws Refused {
    Object[] outcome = new Object[2];
    boolean[] answered = new boolean[1];
    call.accept((value, failure) -> {
      outcome[0] = value;
      outcome[1] = failure;
      answered[0] = true;
    });
    if (!answered[0]) throw new IllegalStateException("the call did not answer at once");
    if (outcome[1] instanceof Refused refused) throw refused;
    if (outcome[1] != null) throw new IllegalStateException((Exception) outcome[1]);
    @SuppressWarnings("unchecked")
    T value = (T) outcome[0];
    return value;
  }
}
