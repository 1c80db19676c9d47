package dev.selectftp.client.console;

import dev.selectftp.client.TransferListener;

/**
 * The one progress line of a whole mirror: a {@link ProgressBar} over the bytes of every file to copy,
 * labelled with the files done, so a terminal shows
 * <pre>mirror 3/10 files  [###.......]  30%  3.0 MiB/10.0 MiB  12.0 MiB/s  ETA 0:01</pre>
 * Each file's own transfer reports into it through {@link #file}. Without a terminal it prints nothing.
 */
final class MirrorProgress {
  private final ProgressBar bar;
  private final int files;
  private int index;
  private long before;

  MirrorProgress(Context context, int files, long bytes) {
    this.bar = new ProgressBar(context.terminal().out(), "mirror", context.terminal().live(),
        context.nanoClock());
    this.files = files;
    bar.started(label(), bytes, 0);
  }

  /** The listener of the next file's transfer, {@code size} bytes. */
  TransferListener file(long size) {
    long base = before;
    before += size;
    return new TransferListener() {
      @Override
      public void started(String name, long total, long resumedFrom) {
        bar.progress(base + resumedFrom);
      }

      @Override
      public void progress(long done) {
        bar.progress(base + done);
      }

      @Override
      public void finished() {
        index++;
        bar.relabel(label());
        bar.progress(base + size);
      }
    };
  }

  /** Ends a live line so that an error can be printed on a line of its own. */
  void interrupt() {
    bar.abandon();
  }

  /** Draws the line one last time, complete, and ends it. */
  void finished() {
    bar.finished();
  }

  private String label() {
    return "mirror " + index + "/" + files + " files";
  }
}
