package dev.selectftp.client.bench;

import ch.qos.logback.classic.Level;
import dev.selectftp.client.FtpClient;
import dev.selectftp.client.ServerAddressOptions;
import dev.selectftp.client.bench.Plan.Op;
import dev.selectftp.client.console.TlsOptions;
import dev.selectftp.client.tls.ClientTls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ftp-client.jar bench}: a load generator in the manner of redis-benchmark. N client threads, each
 * with its own {@link FtpClient}, loop over an op mix until a duration or a number of passes is reached.
 * Every transfer goes through the library's verified put/get. Prints a human summary and, as the last line,
 * the same figures as one JSON object.
 *
 * <p>Op semantics: {@code login} opens a fresh connection and logs in (timed from connect to auth-ok); a
 * pass whose mix holds {@code login} ends with {@code quit}, and its whole time is the {@code session}
 * figure. Without {@code login} in the mix each client logs in once before the clock starts and keeps its
 * connection. {@code get} downloads a file of {@code --size} that the bench uploads once per user into
 * {@code /selectftp-bench/}; {@code put} uploads a local file of {@code --size} to a per-client name there.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Load generator: many clients looping over login/list/put/get, every transfer verified.",
    footer = {"", "The last line printed is one JSON object with every figure. Exit 0 when no operation failed,",
        "1 when some did, 2 for a usage error, 3 when the bench could not set up."})
public final class Bench implements Callable<Integer> {
  /** -s HOST -P PORT, as the console client spells them. */
  @Mixin
  ServerAddressOptions server;

  @Option(names = {"-u", "--user"}, defaultValue = "xiaoyu",
      description = "user (default: ${DEFAULT-VALUE}); with --register, the prefix of USER-0..USER-(N-1)")
  String user;

  @Option(names = {"-p", "--password"}, defaultValue = "123456", arity = "1", description = "password")
  String password;

  @Option(names = "--register", paramLabel = "N", defaultValue = "0",
      description = "register N bench users (USER-0..) first if missing; clients use them round-robin")
  int register;

  @Option(names = {"-c", "--clients"}, defaultValue = "4", description = "concurrent clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--size", defaultValue = "1MiB", description = "file size for put/get (default: ${DEFAULT-VALUE})")
  String size;

  @Option(names = "--ops", defaultValue = "login,list,get",
      description = "comma-separated mix of login,list,put,get; each client loops over it (default: ${DEFAULT-VALUE})")
  String ops;

  @Option(names = {"-d", "--duration"}, defaultValue = "10s",
      description = "how long to run (default: ${DEFAULT-VALUE}); ignored when --requests is given")
  String duration;

  @Option(names = {"-n", "--requests"}, defaultValue = "0",
      description = "total passes over the op mix, shared by all clients (0: use --duration)")
  long requests;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
      description = "passes run first and thrown away, so the JIT of this client and of the server is warm "
          + "before anything is measured (default: ${DEFAULT-VALUE})")
  long warmup;

  @Option(names = "--keep-open", paramLabel = "N", defaultValue = "0",
      description = "hold N extra logged-in idle connections open during the run")
  int keepOpen;

  @Option(names = "--local-dir", paramLabel = "DIR", description = "folder for local files (default: a temp folder)")
  Path localDir;

  @Option(names = "--timeout", defaultValue = "120s", description = "connect and reply timeout (default: ${DEFAULT-VALUE})")
  String timeout;

  @Option(names = "--stats-every", defaultValue = "1s",
      description = "how often the server's stats are polled (default: ${DEFAULT-VALUE})")
  String statsEvery;

  @Option(names = "--before-stats", paramLabel = "COMMAND",
      description = "shell command run before each heap reading, e.g. 'jcmd PID GC.run' for a heap after GC")
  String beforeStats;

  @Option(names = "--hash-speed", description = "only measure this JVM's SHA-256 speed (the verified-stream ceiling)")
  boolean hashSpeed;

  @Option(names = "--verbose", description = "keep the client library's DEBUG log (slows the bench)")
  boolean verbose;

  @CommandLine.Mixin
  TlsOptions tlsOptions = new TlsOptions();

  private final PrintStream out;
  private final PrintStream err;

  public Bench() {
    this(System.out, System.err);
  }

  Bench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Parses and runs; returns the exit status (for tests and for an early dispatch in a main). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Bench(out, err));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("error: " + e.getMessage() + " (see bench --help)");
      return 2;
    });
    return cl.execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    if (!verbose) quietLibraryLog();
    if (hashSpeed) {
      out.println(Sha256Speed.measure(Duration.ofSeconds(3)).toJson());
      return 0;
    }
    Plan plan;
    try {
      plan = parse();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    ClientTls tls;
    Fixtures fixtures;
    try {
      tls = tlsOptions.build(err::println);
      fixtures = new Fixtures(plan, tls, err);
      fixtures.prepare(localDir);
    } catch (IOException e) {
      err.println("error: setup failed: " + Tally.kindOf("setup", e) + ": " + e.getMessage());
      return 3;
    }
    try {
      return new Measurement(plan, tls, fixtures, out, err).run();
    } finally {
      fixtures.cleanUpLocal();
    }
  }

  /** Checks the options and reads them in their units; a bad one is an {@link IllegalArgumentException}. */
  private Plan parse() {
    List<Op> mix = new ArrayList<>();
    for (String word : ops.split(",")) {
      String w = word.trim();
      if (w.isEmpty()) continue;
      try {
        mix.add(Op.valueOf(w.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown op '" + w + "' (use login, list, put, get)");
      }
    }
    if (mix.isEmpty()) throw new IllegalArgumentException("--ops names no op");
    if (clients < 1) throw new IllegalArgumentException("--clients must be at least 1");
    if (keepOpen < 0 || register < 0 || requests < 0 || warmup < 0) throw new IllegalArgumentException("counts must not be negative");
    long sizeBytes = Units.parseSize(size);
    Duration replyTimeout = Units.parseDuration(timeout);
    Duration runFor = Units.parseDuration(duration);
    Duration pollEvery = Units.parseDuration(statsEvery);
    List<String> users = new ArrayList<>();
    if (register > 0) {
      for (int i = 0; i < register; i++) users.add(user + "-" + i);
    } else {
      users.add(user);
    }
    return new Plan(server.host(), server.port(), users, password, register, mix, clients, sizeBytes, replyTimeout,
        runFor, duration, requests, warmup, keepOpen, pollEvery, beforeStats);
  }

  private static void quietLibraryLog() {
    if (LoggerFactory.getLogger("dev.selectftp") instanceof ch.qos.logback.classic.Logger l) l.setLevel(Level.WARN);
  }
}
