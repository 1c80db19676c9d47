package dev.selectftp.server.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/** The server log's lines (formatted messages) while open, from every thread of this JVM. */
public final class LogLines implements AutoCloseable {
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getFormattedMessage());
    }
  };

  /** Starts collecting. */
  public LogLines() {
    appender.start();
    root.addAppender(appender);
  }

  /** The lines containing {@code text}, waiting up to {@code millis} for a first one. */
  public List<String> containing(String text, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      List<String> found = lines.stream().filter(l -> l.contains(text)).toList();
      if (!found.isEmpty() || System.nanoTime() > deadline) return found;
      Thread.sleep(20);
    }
  }

  /** Every line so far. */
  public List<String> all() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
