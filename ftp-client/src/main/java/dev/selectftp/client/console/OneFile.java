package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.GetMode;
import dev.selectftp.client.GetResult;
import dev.selectftp.client.PutMode;
import dev.selectftp.client.PutResult;
import dev.selectftp.client.TransferCancelledException;
import dev.selectftp.client.TransferListener;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code put} and {@code get} of one file, with their rules for a target that exists (ask overwrite / resume /
 * skip, or a flag; one-shot without a flag refuses), a progress bar, Ctrl-C routed to the transfer and, when
 * the server cuts it, the command that resumes it. {@link ManyFiles} runs the same for each of many files.
 */
final class OneFile {
  /** How long a put right after a reconnect waits for the server to notice the old connection is gone. */
  private static final int BUSY_RETRIES = 50;
  private static final long BUSY_RETRY_MILLIS = 100;

  private final Context context;
  private final Session session;
  private final Terminal terminal;
  private final LocalFolder local;

  OneFile(Context context) {
    this.context = context;
    this.session = context.session();
    this.terminal = context.terminal();
    this.local = context.local();
  }

  /**
   * Uploads {@code localName} (relative to the local folder) to {@code remoteOrNull}, or the same name.
   * When that name exists on the server (found by listing its folder first), {@code flag} says what to do;
   * without a flag the user is asked, or in one-shot mode it is refused. A name that does not exist is
   * uploaded without asking, continuing an interrupted upload of it.
   */
  void put(String localName, String remoteOrNull, Existing flag) throws IOException {
    Path file = local.resolve(localName);
    if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
    if (Files.isDirectory(file)) throw new IOException(file + " is a folder, not a file; use put -r");
    String remote = remoteOrNull != null ? remoteOrNull : file.getFileName().toString();
    FtpClient client = session.client();
    boolean justReconnected = session.takeReconnected();
    PutMode mode = PutMode.RESUME;
    Response.Entry existing = client.find(remote);
    if (existing != null && !existing.dir()) {
      Existing answer = flag != null ? flag : ask(remote, existing.size(), true);
      if (answer == Existing.SKIP) {
        terminal.println("skipped " + remote);
        return;
      }
      mode = answer.mode;
    }
    ProgressBar bar = new ProgressBar(terminal.out(), "put", terminal.live(), context.nanoClock());
    PutResult result;
    for (int attempt = 1; ; attempt++) {
      try {
        PutMode chosen = mode;
        result = transfer(client, bar, listener -> client.put(file, remote, chosen, listener));
        break;
      } catch (FtpException e) {
        // Right after a reconnect the server may still see the aborted upload's connection.
        if (!justReconnected || e.code() != ErrorCode.BUSY || attempt >= BUSY_RETRIES) throw e;
        sleep(BUSY_RETRY_MILLIS);
      } catch (IOException e) {
        // The server keeps what it received: --resume continues it whether or not REMOTE existed.
        throw TransferCutException.ifCut(e, client, bar, context.rerun().command(session.user(),
            command("put", localName, remoteOrNull, Existing.RESUME)));
      }
    }
    bar.summary(result.sha256());
  }

  /**
   * Downloads {@code remote} to {@code localOrNull} (relative to the local folder; into it when it is a
   * folder), or to its own name in the local folder. When that local file exists, {@code flag} says what to
   * do; without a flag the user is asked, or in one-shot mode it is refused before anything is sent, and the
   * file stays as it was. Overwrite replaces it once the download is verified (continuing an interrupted
   * download of it); resume continues the local file itself from its length when the server confirms its
   * bytes, and fetches the whole file otherwise.
   */
  void get(String remote, String localOrNull, Existing flag) throws IOException {
    Path named = local.resolve(localOrNull != null ? localOrNull : lastSegment(remote));
    // get NAME FOLDER, as cp does
    Path file = Files.isDirectory(named) ? named.resolve(lastSegment(remote)) : named;
    GetMode mode = GetMode.REPLACE;
    long localBytes = 0;
    if (Files.exists(file)) {
      localBytes = Files.size(file);
      Existing answer = flag != null ? flag : ask(local.shown(file), localBytes, false);
      if (answer == Existing.SKIP) {
        terminal.println("skipped " + local.shown(file));
        return;
      }
      if (answer == Existing.RESUME) mode = GetMode.RESUME_LOCAL;
    }
    ProgressBar bar = new ProgressBar(terminal.out(), "get", terminal.live(), context.nanoClock());
    FtpClient client = session.client();
    GetMode chosen = mode;
    GetResult result;
    try {
      result = transfer(client, bar, listener -> client.get(remote, file, chosen, listener));
    } catch (IOException e) {
      throw TransferCutException.ifCut(e, client, bar, context.rerun().command(session.user(),
          command("get", remote, localOrNull, resumeFlag(file, chosen, bar))));
    }
    if (chosen == GetMode.RESUME_LOCAL && localBytes > 0 && result.resumedFrom() == 0) {
      terminal.println(local.shown(file) + " did not match the server's first " + HumanSize.bytes(localBytes)
          + ": fetched the whole file");
    }
    bar.summary(result.sha256());
  }

  /**
   * Asks what to do about {@code name}, which exists on the server ({@code remote}) or here; in one-shot mode
   * refuses instead, before anything is sent or written.
   */
  private Existing ask(String name, long size, boolean remote) throws IOException {
    String where = remote ? " exists on the server" : " exists locally";
    if (!context.ask()) {
      String refusal = name + where + "; use --overwrite, --resume or --skip";
      throw remote ? new FtpException(ErrorCode.EXISTS, refusal) : new ExistingTargetException(refusal);
    }
    String question = name + where + " (" + HumanSize.bytes(size) + "). [o]verwrite, [r]esume, [s]kip? ";
    while (true) {
      String line = terminal.readLine(question);
      if (line == null) return Existing.SKIP;
      switch (line.strip().toLowerCase(Locale.ROOT)) {
        case "o", "overwrite" -> {
          return Existing.OVERWRITE;
        }
        case "r", "resume" -> {
          return Existing.RESUME;
        }
        case "s", "skip" -> {
          return Existing.SKIP;
        }
        default -> terminal.println("please answer o, r or s");
      }
    }
  }

  /** One transfer's body, given the listener to report progress to. */
  interface Transfer<T> {
    T run(TransferListener listener) throws IOException;
  }

  /** Runs one transfer with Ctrl-C routed to aborting it; a cancelled one ends {@code bar}'s line. */
  private <T> T transfer(FtpClient client, ProgressBar bar, Transfer<T> body) throws IOException {
    try {
      return routed(context, client, bar, body);
    } catch (TransferCancelledException e) {
      bar.abandon();
      throw e;
    }
  }

  /** Runs {@code body} with Ctrl-C aborting {@code client}, its progress going to {@code listener}. */
  static <T> T routed(Context context, FtpClient client, TransferListener listener, Transfer<T> body)
      throws IOException {
    Interrupts.Scope scope = context.interrupts().during(client::abort);
    try {
      return body.run(context.listeners().apply(listener));
    } finally {
      scope.close();
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the server");
    }
  }

  /**
   * The flag that resumes a download cut in {@code mode}: {@code --resume} when the bytes went into the local
   * file itself, {@code --overwrite} when they went to the hidden partial beside a local file that exists
   * (overwrite continues that partial), none when there is no local file to ask about.
   */
  private static Existing resumeFlag(Path file, GetMode mode, ProgressBar bar) {
    if (mode == GetMode.RESUME_LOCAL && bar.resumedFrom() > 0) return Existing.RESUME;
    return Files.exists(file) ? Existing.OVERWRITE : null;
  }

  /** The words of a transfer command, the optional second name and flag left out when null. */
  private static List<String> command(String verb, String first, String secondOrNull, Existing flagOrNull) {
    List<String> words = new ArrayList<>(List.of(verb, first));
    if (secondOrNull != null) words.add(secondOrNull);
    if (flagOrNull != null) words.add(flagOrNull.flag());
    return words;
  }

  /** The last segment of a remote path ({@code a/b/} gives {@code b}). */
  static String lastSegment(String remote) {
    String trimmed = remote.endsWith("/") ? remote.substring(0, remote.length() - 1) : remote;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
