package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.GetResult;
import dev.selectftp.client.PutResult;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
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
      "  put FILE [REMOTE]   upload a local file (resumes an interrupted upload)",
      "  get NAME [LOCAL]    download a file (resumes an interrupted download)",
      "  stats               show the server's event-loop figures",
      "  help                show this list",
      "  quit, exit          leave",
      "Quote names with spaces: put \"my file.txt\"");

  private final FtpClient client;
  private final Terminal terminal;
  private final Path localDir;
  private final LongSupplier nanoClock;
  private final ListingFormat listing = new ListingFormat(ZoneId.systemDefault());

  public Shell(FtpClient client, Terminal terminal, Path localDir, LongSupplier nanoClock) {
    this.client = client;
    this.terminal = terminal;
    this.localDir = localDir;
    this.nanoClock = nanoClock;
  }

  /**
   * Runs the prompt until {@code quit}, {@code exit} or the end of input. Refusals and typing mistakes are
   * reported and the prompt goes on; a lost connection ends it.
   *
   * @return the exit status: {@link ExitCode#OK}, or {@link ExitCode#IO} when the connection was lost
   */
  public int runPrompt() {
    while (true) {
      String line;
      try {
        line = terminal.readLine("[" + client.user() + "] >>> ");
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
        if (!client.isOpen()) return ExitCode.IO;
      }
    }
  }

  /** Prints {@code error: ...} for a failed command; the details go to the log. */
  void report(Exception e) {
    log.info("command failed: {}", e.toString(), e instanceof FtpException ? null : e);
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
      Map.entry("put", new Spec(1, 2, "put FILE [REMOTE]")),
      Map.entry("get", new Spec(1, 2, "get NAME [LOCAL]")),
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
    List<String> args = words.subList(1, words.size());
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
      case "put" -> put(first, second);
      case "get" -> get(first, second);
      case "stats" -> stats();
      case "help" -> help();
      default -> {
        quitQuietly(); // quit, exit
        return false;
      }
    }
    return true;
  }

  void ls(String pathOrNull) throws IOException {
    for (String line : listing.lines(client.list(pathOrNull))) terminal.println(line);
  }

  void cd(String path) throws IOException {
    terminal.println(client.cd(path));
  }

  void pwd() throws IOException {
    terminal.println(client.pwd());
  }

  void mkdir(String path) throws IOException {
    client.mkdir(path);
    terminal.println("made folder " + path);
  }

  void rm(String path) throws IOException {
    client.delete(path);
    terminal.println("deleted " + path);
  }

  void mv(String from, String to) throws IOException {
    client.rename(from, to);
    terminal.println("renamed " + from + " to " + to);
  }

  void quota() throws IOException {
    Response.QuotaInfo quota = client.quota();
    long percent = quota.limit() == 0 ? 100 : quota.used() * 100 / quota.limit();
    terminal.println(HumanSize.bytes(quota.used()) + " of " + HumanSize.bytes(quota.limit()) + " used ("
        + percent + "%), " + HumanSize.bytes(Math.max(0, quota.limit() - quota.used())) + " free");
  }

  /** Uploads {@code localName} (relative to the local folder) to {@code remoteOrNull}, or the same name. */
  void put(String localName, String remoteOrNull) throws IOException {
    Path local = localDir.resolve(localName);
    String remote = remoteOrNull != null ? remoteOrNull : local.getFileName().toString();
    ProgressBar bar = new ProgressBar(terminal.out(), "put", terminal.live(), nanoClock);
    PutResult result = client.put(local, remote, bar);
    bar.summary(result.sha256());
  }

  /**
   * Downloads {@code remote} to {@code localOrNull} (relative to the local folder; into it when it is a
   * folder), or to its own name in the local folder.
   */
  void get(String remote, String localOrNull) throws IOException {
    Path local = localDir.resolve(localOrNull != null ? localOrNull : lastSegment(remote));
    if (Files.isDirectory(local)) local = local.resolve(lastSegment(remote)); // get NAME FOLDER, as cp does
    ProgressBar bar = new ProgressBar(terminal.out(), "get", terminal.live(), nanoClock);
    GetResult result = client.get(remote, local, bar);
    bar.summary(result.sha256());
  }

  void stats() throws IOException {
    Response.ServerStats s = client.stats();
    terminal.println("connections " + s.connections() + ", loop passes " + s.loopPasses() + ", longest pass "
        + s.maxPassMicros() + " us, p99 pass " + s.p99PassMicros() + " us, heap "
        + HumanSize.bytes(s.heapUsedBytes()));
  }

  void help() {
    terminal.println("Commands:" + System.lineSeparator() + HELP);
  }

  /** Says goodbye if the connection still works; a failure here changes nothing for the user. */
  void quitQuietly() {
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

  FtpClient client() {
    return client;
  }

  static String lastSegment(String remote) {
    String trimmed = remote.endsWith("/") ? remote.substring(0, remote.length() - 1) : remote;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
