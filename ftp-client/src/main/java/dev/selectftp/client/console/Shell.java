package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.TransferCancelledException;
import dev.selectftp.client.TransferListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
      "  lcd DIR             change the local folder     lpwd        print it",
      "  lls [DIR]           list the local folder (or DIR)",
      "  mput GLOB...        upload the local files matching each GLOB (*.txt, docs/*.bin)",
      "  mget GLOB...        download the remote files matching each GLOB; both take",
      "                      --overwrite|--resume|--skip for names that exist, as put and get",
      "  put -r DIR [REMOTE] upload a local folder's tree (into REMOTE, by default DIR's name)",
      "  get -r DIR [LOCAL]  download a remote folder's tree (into LOCAL, by default DIR's name)",
      "  mirror REMOTE [LOCAL]     make LOCAL hold REMOTE's files (download)",
      "  mirror -R LOCAL [REMOTE]  make REMOTE hold LOCAL's files (upload)",
      "                      skips files whose size and SHA-256 match, replaces the others without",
      "                      asking; --delete removes what the source lacks, --dry-run only shows",
      "                      the steps; one progress line, then how many moved, skipped, failed",
      "  stats               show the server's event-loop figures",
      "  help                show this list",
      "  quit, exit          leave",
      "Quote names with spaces: put \"my file.txt\"; quote globs in a one-shot: mget \"*.txt\"",
      "Ctrl-C during put or get stops it and keeps the part already moved; run the same command again",
      "to resume. Ctrl-C at the prompt leaves.");
  /** What the console prints after Ctrl-C stopped a transfer. */
  static final String INTERRUPTED = "interrupted: run the same command again to resume";

  private final Session session;
  private final Terminal terminal;
  private final LocalFolder local;
  private final RemoteFolder remote;
  private final OneFile oneFile;
  private final ManyFiles manyFiles;
  private final Mirror mirror;

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
    this.local = new LocalFolder(localDir, terminal);
    this.remote = new RemoteFolder(session, terminal);
    Context context = new Context(session, terminal, local, nanoClock, interrupts, listeners, ask, rerun);
    this.oneFile = new OneFile(context);
    this.manyFiles = new ManyFiles(context, oneFile);
    this.mirror = new Mirror(context);
  }

  /**
   * Runs the prompt until {@code quit}, {@code exit} or the end of input. Refusals and typing mistakes are
   * reported and the prompt goes on; a lost connection ends it.
   *
   * @return the exit status: {@link ExitCode#OK}, or {@link ExitCode#IO} when the connection was lost
   */
  public int runPrompt() {
    terminal.completeWith(new Completions(SPECS, session, local::path));
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
    boolean expected = e instanceof FtpException || e instanceof ExistingTargetException
        || e instanceof BatchFailedException;
    log.info("command failed: {}", e.toString(), expected ? null : e);
    terminal.println("error: " + Errors.describe(e));
  }

  private static final Set<String> ANSWERS = Set.of("--overwrite", "--resume", "--skip");
  private static final Set<String> TRANSFER_FLAGS = Set.of("-r", "--overwrite", "--resume", "--skip");
  private static final int MANY = Integer.MAX_VALUE;

  private static final Map<String, CommandSpec> SPECS = Map.ofEntries(
      Map.entry("ls", new CommandSpec(0, 1, "ls [PATH]")),
      Map.entry("cd", new CommandSpec(1, 1, "cd PATH")),
      Map.entry("pwd", new CommandSpec(0, 0, "pwd")),
      Map.entry("mkdir", new CommandSpec(1, 1, "mkdir PATH")),
      Map.entry("rm", new CommandSpec(1, 1, "rm PATH")),
      Map.entry("mv", new CommandSpec(2, 2, "mv FROM TO")),
      Map.entry("quota", new CommandSpec(0, 0, "quota")),
      Map.entry("put", new CommandSpec(1, 2, "put [-r] FILE [REMOTE] [--overwrite|--resume|--skip]",
          TRANSFER_FLAGS)),
      Map.entry("get", new CommandSpec(1, 2, "get [-r] NAME [LOCAL] [--overwrite|--resume|--skip]",
          TRANSFER_FLAGS)),
      Map.entry("mput", new CommandSpec(1, MANY, "mput GLOB... [--overwrite|--resume|--skip]", ANSWERS)),
      Map.entry("mget", new CommandSpec(1, MANY, "mget GLOB... [--overwrite|--resume|--skip]", ANSWERS)),
      Map.entry("mirror", new CommandSpec(1, 2, "mirror [-R] [--dry-run] [--delete] SOURCE [TARGET]",
          Set.of("-R", "--dry-run", "--delete"))),
      Map.entry("lcd", new CommandSpec(1, 1, "lcd DIR")),
      Map.entry("lls", new CommandSpec(0, 1, "lls [DIR]")),
      Map.entry("lpwd", new CommandSpec(0, 0, "lpwd")),
      Map.entry("stats", new CommandSpec(0, 0, "stats")),
      Map.entry("help", new CommandSpec(0, 0, "help")),
      Map.entry("quit", new CommandSpec(0, 0, "quit")),
      Map.entry("exit", new CommandSpec(0, 0, "exit")));

  /**
   * Checks that {@code words} name a known command with the right arguments and flags, without running it.
   *
   * @throws UsageException naming the command's usage
   */
  public void check(List<String> words) throws UsageException {
    parse(words);
  }

  private static CommandSpec.Parsed parse(List<String> words) throws UsageException {
    CommandSpec spec = SPECS.get(words.get(0));
    if (spec == null) throw new UsageException("unknown command '" + words.get(0) + "'; type help for the list");
    return spec.parse(words);
  }

  /**
   * Runs one command. Returns false when the command was {@code quit} or {@code exit}.
   *
   * @throws UsageException for an unknown command or wrong arguments; nothing was sent
   * @throws FtpException when the server refused
   * @throws IOException when a local file or the connection failed
   */
  public boolean execute(List<String> words) throws UsageException, IOException {
    CommandSpec.Parsed command = parse(words);
    String first = command.arg(0);
    String second = command.arg(1);
    Existing flag = command.existing();
    boolean tree = command.has("-r");
    switch (words.get(0)) {
      case "ls" -> ls(first);
      case "cd" -> cd(first);
      case "pwd" -> pwd();
      case "mkdir" -> remote.mkdir(first);
      case "rm" -> remote.rm(first);
      case "mv" -> mv(first, second);
      case "quota" -> quota();
      case "put" -> {
        if (tree) manyFiles.putTree(first, second, flag); else put(first, second, flag);
      }
      case "get" -> {
        if (tree) manyFiles.getTree(first, second, flag); else get(first, second, flag);
      }
      case "mput" -> manyFiles.mput(command.args(), flag);
      case "mget" -> manyFiles.mget(command.args(), flag);
      case "mirror" -> mirror.run(command);
      case "lcd" -> local.lcd(first);
      case "lls" -> local.lls(first);
      case "lpwd" -> local.lpwd();
      case "stats" -> remote.stats();
      case "help" -> help();
      default -> {
        quitQuietly(); // quit, exit
        return false;
      }
    }
    return true;
  }

  // The menus' entries into the same commands.
  void ls(String pathOrNull) throws IOException {
    remote.ls(pathOrNull);
  }

  void cd(String path) throws IOException {
    remote.cd(path);
  }

  void pwd() throws IOException {
    remote.pwd();
  }

  void mkdir(String path) throws IOException {
    remote.mkdir(path);
  }

  void rm(String path) throws IOException {
    remote.rm(path);
  }

  void mv(String from, String to) throws IOException {
    remote.mv(from, to);
  }

  void quota() throws IOException {
    remote.quota();
  }

  /** put FILE [REMOTE]: see {@link OneFile#put}. */
  void put(String localName, String remoteOrNull, Existing flag) throws IOException {
    oneFile.put(localName, remoteOrNull, flag);
  }

  /** Downloads as {@link OneFile#get} without a flag (the menus). */
  void get(String remote, String localOrNull) throws IOException {
    get(remote, localOrNull, null);
  }

  /** get NAME [LOCAL]: see {@link OneFile#get}. */
  void get(String remote, String localOrNull, Existing flag) throws IOException {
    oneFile.get(remote, localOrNull, flag);
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

  /** The local folder now ({@code lcd} moves it). */
  Path localDir() {
    return local.path();
  }

  Session session() {
    return session;
  }
}
