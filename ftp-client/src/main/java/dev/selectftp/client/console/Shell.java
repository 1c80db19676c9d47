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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands a logged-in user can give, shared by the prompt, the one-shot mode and the menus. Local
 * file names are resolved against the local folder; remote ones are sent as typed.
 */
public final class Shell {
  private static final Logger log = LoggerFactory.getLogger(Shell.class);
  static final String HELP = String.join(System.lineSeparator(),
      "  ls [PATH]           list a folder (the current one by default)",
      "  cd PATH             change folder (/ is your home, .. goes up)",
      "  pwd                 print the current folder",
      "  mkdir PATH          make a folder",
      "  rm PATH             delete a file or an empty folder",
      "  mv FROM TO          rename or move",
      "  quota               show space used and allowed",
      "  put FILE [REMOTE] [--overwrite|--resume|--skip]",
      "                      upload a local file (resumes an interrupted upload); when REMOTE",
      "                      exists you are asked, or the flag answers: overwrite from byte 0,",
      "                      resume an interrupted upload of it, or skip",
      "  get NAME [LOCAL] [--overwrite|--resume|--skip]",
      "                      download a file (resumes an interrupted download); when LOCAL",
      "                      exists you are asked, or the flag answers: overwrite it once the",
      "                      download is verified, resume it from its length, or skip",
      "  stats               show the server's event-loop figures",
      "  help                show this list",
      "  quit, exit          leave",
      "Quote names with spaces: put \"my file.txt\"",
      "Ctrl-C during put or get stops it and keeps the part already moved; run the same command again",
      "to resume. Ctrl-C at the prompt leaves.");
  /** What the console prints after Ctrl-C stopped a transfer. */
  static final String INTERRUPTED = "interrupted: run the same command again to resume";
  /** How long a put right after a reconnect waits for the server to notice the old connection is gone. */
  private static final int BUSY_RETRIES = 50;
  private static final long BUSY_RETRY_MILLIS = 100;

  private final Session session;
  private final Terminal terminal;
  private final Path localDir;
  private final LongSupplier nanoClock;
  private final Interrupts interrupts;
  private final UnaryOperator<TransferListener> listeners;
  private final boolean ask;
  private final Rerun rerun;
  private final ListingFormat listing = new ListingFormat(ZoneId.systemDefault());

  /** A shell over one connection that is never redone, asking before an upload replaces a file. */
  public Shell(FtpClient client, Terminal terminal, Path localDir, LongSupplier nanoClock) {
    this(new Session(client, () -> {
      throw new IOException("connection lost");
    }), terminal, localDir, nanoClock, Interrupts.manual(), UnaryOperator.identity(), true, Rerun.none());
  }

  /**
   * @param interrupts where Ctrl-C is routed while a transfer runs
   * @param listeners wraps each transfer's progress bar (tests hook in here; identity otherwise)
   * @param ask true to ask before a transfer replaces a file (prompt, menus); false to refuse unless a flag
   *     says what to do (one-shot)
   * @param rerun how to spell a command for the shell, in "to resume, run: ..." after a cut transfer
   */
  Shell(Session session, Terminal terminal, Path localDir, LongSupplier nanoClock, Interrupts interrupts,
      UnaryOperator<TransferListener> listeners, boolean ask, Rerun rerun) {
    this.session = session;
    this.terminal = terminal;
    this.localDir = localDir;
    this.nanoClock = nanoClock;
    this.interrupts = interrupts;
    this.listeners = listeners;
    this.ask = ask;
    this.rerun = rerun;
  }

  /**
   * Runs the prompt until {@code quit}, {@code exit} or the end of input. Refusals and typing mistakes are
   * reported and the prompt goes on; a lost connection ends it.
   *
   * @return the exit status: {@link ExitCode#OK}, or {@link ExitCode#IO} when the connection was lost
   */
  public int runPrompt() {
    terminal.completeWith(new Completions(List.copyOf(SPECS.keySet()).stream().sorted().toList(), session,
        localDir));
    while (true) {
      String line;
      try {
        line = terminal.readCommand("[" + session.user() + "] >>> ");
      } catch (IOException e) {
        log.warn("reading the input failed", e);
        return ExitCode.IO;
      }
      if (line == null) {
        quitQuietly();
        return ExitCode.OK;
      }
      try {
        List<String> words = Words.split(line);
        if (!words.isEmpty() && !execute(words)) return ExitCode.OK;
      } catch (UsageException | IOException e) {
        report(e);
        if (!session.usable()) return ExitCode.IO;
      }
    }
  }

  /**
   * Prints {@code error: ...} for a failed command, or {@link #INTERRUPTED} for one stopped by Ctrl-C; the
   * details go to the log.
   */
  void report(Exception e) {
    if (e instanceof TransferCancelledException) {
      log.info("command interrupted: {}", e.toString());
      terminal.println(INTERRUPTED);
      return;
    }
    boolean expected = e instanceof FtpException || e instanceof ExistingTargetException;
    log.info("command failed: {}", e.toString(), expected ? null : e);
    terminal.println("error: " + Errors.describe(e));
  }

  /** How many arguments a command takes, and how to say so. */
  private record Spec(int min, int max, String usage) {}

  private static final Map<String, Spec> SPECS = Map.ofEntries(
      Map.entry("ls", new Spec(0, 1, "ls [PATH]")),
      Map.entry("cd", new Spec(1, 1, "cd PATH")),
      Map.entry("pwd", new Spec(0, 0, "pwd")),
      Map.entry("mkdir", new Spec(1, 1, "mkdir PATH")),
      Map.entry("rm", new Spec(1, 1, "rm PATH")),
      Map.entry("mv", new Spec(2, 2, "mv FROM TO")),
      Map.entry("quota", new Spec(0, 0, "quota")),
      Map.entry("put", new Spec(1, 2, "put FILE [REMOTE] [--overwrite|--resume|--skip]")),
      Map.entry("get", new Spec(1, 2, "get NAME [LOCAL] [--overwrite|--resume|--skip]")),
      Map.entry("stats", new Spec(0, 0, "stats")),
      Map.entry("help", new Spec(0, 0, "help")),
      Map.entry("quit", new Spec(0, 0, "quit")),
      Map.entry("exit", new Spec(0, 0, "exit")));

  /**
   * Checks that {@code words} name a known command with the right number of arguments, without running it.
   *
   * @throws UsageException naming the command's usage
   */
  public void check(List<String> words) throws UsageException {
    String command = words.get(0);
    Spec spec = SPECS.get(command);
    if (spec == null) throw new UsageException("unknown command '" + command + "'; type help for the list");
    int args = words.size() - 1;
    if (takesFlags(command)) {
      int flags = 0;
      for (String word : words.subList(1, words.size())) {
        if (!word.startsWith("--")) continue;
        if (Existing.ofFlag(word) == null) throw new UsageException("unknown option " + word + "; usage: " + spec.usage());
        flags++;
      }
      if (flags > 1) throw new UsageException("give only one of --overwrite, --resume, --skip");
      args -= flags;
    }
    if (args < spec.min() || args > spec.max()) throw new UsageException("usage: " + spec.usage());
  }

  /**
   * Runs one command. Returns false when the command was {@code quit} or {@code exit}.
   *
   * @throws UsageException for an unknown command or wrong arguments; nothing was sent
   * @throws FtpException when the server refused
   * @throws IOException when a local file or the connection failed
   */
  public boolean execute(List<String> words) throws UsageException, IOException {
    check(words);
    List<String> args = new ArrayList<>(words.subList(1, words.size()));
    Existing flag = null;
    if (takesFlags(words.get(0))) {
      for (String word : words) {
        if (Existing.ofFlag(word) != null) flag = Existing.ofFlag(word);
      }
      args.removeIf(word -> Existing.ofFlag(word) != null);
    }
    String first = args.isEmpty() ? null : args.get(0);
    String second = args.size() > 1 ? args.get(1) : null;
    switch (words.get(0)) {
      case "ls" -> ls(first);
      case "cd" -> cd(first);
      case "pwd" -> pwd();
      case "mkdir" -> mkdir(first);
      case "rm" -> rm(first);
      case "mv" -> mv(first, second);
      case "quota" -> quota();
      case "put" -> put(first, second, flag);
      case "get" -> get(first, second, flag);
      case "stats" -> stats();
      case "help" -> help();
      default -> {
        quitQuietly(); // quit, exit
        return false;
      }
    }
    return true;
  }

  /** True for the commands that take {@code --overwrite}, {@code --resume} or {@code --skip}. */
  private static boolean takesFlags(String command) {
    return command.equals("put") || command.equals("get");
  }

  void ls(String pathOrNull) throws IOException {
    for (String line : listing.lines(session.client().list(pathOrNull))) terminal.println(line);
  }

  void cd(String path) throws IOException {
    String now = session.client().cd(path);
    session.cwd(now);
    terminal.println(now);
  }

  void pwd() throws IOException {
    terminal.println(session.client().pwd());
  }

  void mkdir(String path) throws IOException {
    session.client().mkdir(path);
    terminal.println("made folder " + path);
  }

  void rm(String path) throws IOException {
    session.client().delete(path);
    terminal.println("deleted " + path);
  }

  void mv(String from, String to) throws IOException {
    session.client().rename(from, to);
    terminal.println("renamed " + from + " to " + to);
  }

  void quota() throws IOException {
    Response.QuotaInfo quota = session.client().quota();
    long percent = quota.limit() == 0 ? 100 : quota.used() * 100 / quota.limit();
    terminal.println(HumanSize.bytes(quota.used()) + " of " + HumanSize.bytes(quota.limit()) + " used ("
        + percent + "%), " + HumanSize.bytes(Math.max(0, quota.limit() - quota.used())) + " free");
  }

  /**
   * Uploads {@code localName} (relative to the local folder) to {@code remoteOrNull}, or the same name.
   * When that name exists on the server (found by listing its folder first), {@code flag} says what to do;
   * without a flag the user is asked, or in one-shot mode it is refused. A name that does not exist is
   * uploaded without asking, continuing an interrupted upload of it.
   */
  void put(String localName, String remoteOrNull, Existing flag) throws IOException {
    Path local = localDir.resolve(localName);
    if (!Files.exists(local)) throw new NoSuchFileException(local.toString());
    if (Files.isDirectory(local)) throw new IOException(local + " is a folder, not a file");
    String remote = remoteOrNull != null ? remoteOrNull : local.getFileName().toString();
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
    ProgressBar bar = new ProgressBar(terminal.out(), "put", terminal.live(), nanoClock);
    PutResult result;
    for (int attempt = 1; ; attempt++) {
      try {
        PutMode chosen = mode;
        result = transfer(client, bar, listener -> client.put(local, remote, chosen, listener));
        break;
      } catch (FtpException e) {
        // Right after a reconnect the server may still see the aborted upload's connection.
        if (!justReconnected || e.code() != ErrorCode.BUSY || attempt >= BUSY_RETRIES) throw e;
        sleep(BUSY_RETRY_MILLIS);
      } catch (IOException e) {
        // The server keeps what it received: --resume continues it whether or not REMOTE existed.
        throw TransferCutException.ifCut(e, client, bar, rerun.command(session.user(),
            command("put", localName, remoteOrNull, Existing.RESUME)));
      }
    }
    bar.summary(result.sha256());
  }

  /**
   * Asks what to do about {@code name}, which exists on the server ({@code remote}) or here; in one-shot mode
   * refuses instead, before anything is sent or written.
   */
  private Existing ask(String name, long size, boolean remote) throws IOException {
    String where = remote ? " exists on the server" : " exists locally";
    if (!ask) {
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

  private interface Transfer<T> {
    T run(TransferListener listener) throws IOException;
  }

  /** Runs one transfer with Ctrl-C routed to aborting it. */
  private <T> T transfer(FtpClient client, ProgressBar bar, Transfer<T> body) throws IOException {
    Interrupts.Scope scope = interrupts.during(client::abort);
    try {
      return body.run(listeners.apply(bar));
    } catch (TransferCancelledException e) {
      bar.abandon();
      throw e;
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

  /** Downloads as {@link #get(String, String, Existing)} without a flag (the menus). */
  void get(String remote, String localOrNull) throws IOException {
    get(remote, localOrNull, null);
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
    Path named = localDir.resolve(localOrNull != null ? localOrNull : lastSegment(remote));
    // get NAME FOLDER, as cp does
    Path local = Files.isDirectory(named) ? named.resolve(lastSegment(remote)) : named;
    GetMode mode = GetMode.REPLACE;
    long localBytes = 0;
    if (Files.exists(local)) {
      localBytes = Files.size(local);
      Existing answer = flag != null ? flag : ask(shown(local), localBytes, false);
      if (answer == Existing.SKIP) {
        terminal.println("skipped " + shown(local));
        return;
      }
      if (answer == Existing.RESUME) mode = GetMode.RESUME_LOCAL;
    }
    ProgressBar bar = new ProgressBar(terminal.out(), "get", terminal.live(), nanoClock);
    FtpClient client = session.client();
    GetMode chosen = mode;
    GetResult result;
    try {
      result = transfer(client, bar, listener -> client.get(remote, local, chosen, listener));
    } catch (IOException e) {
      throw TransferCutException.ifCut(e, client, bar, rerun.command(session.user(),
          command("get", remote, localOrNull, resumeFlag(local, chosen, bar))));
    }
    if (chosen == GetMode.RESUME_LOCAL && localBytes > 0 && result.resumedFrom() == 0) {
      terminal.println(shown(local) + " did not match the server's first " + HumanSize.bytes(localBytes)
          + ": fetched the whole file");
    }
    bar.summary(result.sha256());
  }

  /**
   * The flag that resumes a download cut in {@code mode}: {@code --resume} when the bytes went into the local
   * file itself, {@code --overwrite} when they went to the hidden partial beside a local file that exists
   * (overwrite continues that partial), none when there is no local file to ask about.
   */
  private static Existing resumeFlag(Path local, GetMode mode, ProgressBar bar) {
    if (mode == GetMode.RESUME_LOCAL && bar.resumedFrom() > 0) return Existing.RESUME;
    return Files.exists(local) ? Existing.OVERWRITE : null;
  }

  /** The words of a transfer command, the optional second name and flag left out when null. */
  private static List<String> command(String verb, String first, String secondOrNull, Existing flagOrNull) {
    List<String> words = new ArrayList<>(List.of(verb, first));
    if (secondOrNull != null) words.add(secondOrNull);
    if (flagOrNull != null) words.add(flagOrNull.flag());
    return words;
  }

  /** {@code local} as the user would name it: relative to the local folder when inside it. */
  private String shown(Path local) {
    return local.startsWith(localDir) ? localDir.relativize(local).toString() : local.toString();
  }

  void stats() throws IOException {
    Response.ServerStats s = session.client().stats();
    terminal.println("connections " + s.connections() + ", loop passes " + s.loopPasses() + ", longest pass "
        + s.maxPassMicros() + " us, p99 pass " + s.p99PassMicros() + " us, heap "
        + HumanSize.bytes(s.heapUsedBytes()));
  }

  void help() {
    terminal.println("Commands:" + System.lineSeparator() + HELP);
  }

  /** Says goodbye if the connection still works; a failure here changes nothing for the user. */
  void quitQuietly() {
    FtpClient client = session.current();
    if (!client.isOpen()) return;
    try {
      client.quit();
    } catch (IOException e) {
      log.debug("quit failed", e);
    }
  }

  Path localDir() {
    return localDir;
  }

  Session session() {
    return session;
  }

  static String lastSegment(String remote) {
    String trimmed = remote.endsWith("/") ? remote.substring(0, remote.length() - 1) : remote;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
