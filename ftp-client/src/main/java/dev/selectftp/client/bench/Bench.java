package dev.selectftp.client.bench;

import ch.qos.logback.classic.Level;
import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.ServerAddressOptions;
import dev.selectftp.client.TransferListener;
import dev.selectftp.client.bench.Tally.Step;
import dev.selectftp.client.console.TlsOptions;
import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
  enum Op { LOGIN, LIST, PUT, GET }

  static final String REMOTE_DIR = "/selectftp-bench";

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

  // ---------------------------------------------------------------------------------------------------

  private String host;
  private int port;
  private List<Op> mix;
  private long sizeBytes;
  private Duration replyTimeout;
  private List<String> users;
  private Path dir;
  private boolean tempDir;
  private Path source;
  private ClientTls tls;

  @Override
  public Integer call() throws Exception {
    if (!verbose) quietLibraryLog();
    if (hashSpeed) {
      out.println(Sha256Speed.measure(Duration.ofSeconds(3)).toJson());
      return 0;
    }
    try {
      parse();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      tls = tlsOptions.build(err::println);
      prepare();
    } catch (IOException e) {
      err.println("error: setup failed: " + Tally.kindOf("setup", e) + ": " + e.getMessage());
      return 3;
    }
    try {
      return runBench();
    } finally {
      cleanUpLocal();
    }
  }

  private void parse() {
    host = server.host();
    port = server.port();
    mix = new ArrayList<>();
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
    sizeBytes = Units.parseSize(size);
    replyTimeout = Units.parseDuration(timeout);
    Units.parseDuration(duration);
    Units.parseDuration(statsEvery);
    users = new ArrayList<>();
    if (register > 0) {
      for (int i = 0; i < register; i++) users.add(user + "-" + i);
    } else {
      users.add(user);
    }
  }

  private FtpClient connect() throws IOException {
    return FtpClient.connect(host, port, replyTimeout, tls);
  }

  private static void quietLibraryLog() {
    if (LoggerFactory.getLogger("dev.selectftp") instanceof ch.qos.logback.classic.Logger l) l.setLevel(Level.WARN);
  }

  /** Registers users, makes the local source file and each user's remote source for {@code get}. */
  private void prepare() throws IOException {
    if (localDir == null) {
      dir = Files.createTempDirectory("selectftp-bench");
      tempDir = true;
    } else {
      dir = Files.createDirectories(localDir);
    }
    boolean transfers = mix.contains(Op.GET) || mix.contains(Op.PUT);
    if (transfers) source = makeSource(dir, sizeBytes);
    char[] pw = password.toCharArray();
    for (String u : users) {
      try (FtpClient c = connect()) {
        if (register > 0) {
          try {
            c.register(u, pw);
            err.println("registered " + u);
          } catch (FtpException e) {
            if (e.code() != ErrorCode.USER_EXISTS) throw e;
          }
        }
        c.login(u, pw);
        if (!transfers) continue;
        try {
          c.mkdir(REMOTE_DIR);
        } catch (FtpException e) {
          if (e.code() != ErrorCode.EXISTS) throw e;
        }
        if (mix.contains(Op.GET)) {
          String name = sourceName(sizeBytes);
          boolean present = c.list(REMOTE_DIR).stream().anyMatch(e -> e.name().equals(name) && e.size() == sizeBytes);
          if (!present) c.put(source, REMOTE_DIR + "/" + name, TransferListener.NONE);
        }
      }
    }
  }

  static String sourceName(long size) {
    return "src-" + size + ".bin";
  }

  /** A local file of {@code size} pseudo-random bytes, reused while its size is right. */
  static Path makeSource(Path dir, long size) throws IOException {
    Path file = dir.resolve("selectftp-bench-" + sourceName(size));
    if (Files.isRegularFile(file) && Files.size(file) == size) return file;
    SplittableRandom random = new SplittableRandom(size);
    byte[] block = new byte[1 << 20];
    try (OutputStream o = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        for (int i = 0; i < block.length; i += 8) {
          long v = random.nextLong();
          for (int j = 0; j < 8; j++) block[i + j] = (byte) (v >>> (j * 8));
        }
        int n = (int) Math.min(block.length, left);
        o.write(block, 0, n);
        left -= n;
      }
    }
    return file;
  }

  private int runBench() throws Exception {
    ServerWatch watch = new ServerWatch(host, port, replyTimeout, tls);
    ExecutorService pool = null;
    List<IdleConnection> idle = Collections.synchronizedList(new ArrayList<>());
    try {
      Map<String, Object> server = new LinkedHashMap<>();
      beforeHeapReading();
      ServerWatch.Sample start = watch.sample(ServerWatch.EXCLUDED);
      if (start == null) throw new IOException("stats did not answer");
      server.put("before", statsMap(start.stats()));

      Report.KeepOpen keep = null;
      if (keepOpen > 0) {
        watch.phase("keep-open");
        watch.startPolling(Units.parseDuration(statsEvery));
        keep = openIdle(idle, start.stats().heapUsedBytes(), watch);
      } else {
        watch.startPolling(Units.parseDuration(statsEvery));
      }

      pool = Executors.newFixedThreadPool(clients, r -> {
        Thread t = new Thread(null, r, "bench-client", 256 * 1024);
        t.setDaemon(true);
        return t;
      });
      if (warmup > 0) {
        watch.phase(ServerWatch.EXCLUDED);
        Tally discarded = round(pool, warmup).tally();
        if (discarded.failureCount() > 0) err.println("warning: the warm-up had failures: " + discarded.failureCount());
      }
      watch.phase("run");
      Round measured = round(pool, requests);
      double seconds = measured.seconds();
      watch.stopPolling();
      ServerWatch.Sample end = watch.sample("run");
      Tally all = measured.tally();

      server.put("loop", watch.loopFigures());
      if (end != null) server.put("afterRun", statsMap(end.stats()));
      beforeHeapReading();
      ServerWatch.Sample heapEnd = watch.sample(ServerWatch.EXCLUDED);
      server.put("heapBeforeBytes", start.stats().heapUsedBytes());
      server.put("heapAfterBytes", heapEnd != null ? heapEnd.stats().heapUsedBytes() : -1);
      server.put("heapAfterGc", beforeStats != null);
      server.put("connectionsAtEnd", heapEnd != null ? heapEnd.stats().connections() : -1);
      if (keep != null) {
        int stillOpen = (int) idle.stream().filter(IdleConnection::isOpen).count();
        server.put("keepOpenStillOpenAtEnd", stillOpen);
      }

      Report report = new Report(new Report.Setup(host, port, clients, mix.stream()
          .map(o -> o.name().toLowerCase(Locale.ROOT)).toList(), sizeBytes,
          requests > 0 ? requests + " passes" : duration, users.size(), keepOpen), all, seconds, server, keep);
      out.print(report.toHuman());
      out.println(report.toJson());
      out.flush();
      return all.failureCount() == 0 && (keep == null || keep.opened() == keepOpen) ? 0 : 1;
    } finally {
      if (pool != null) pool.shutdownNow();
      for (IdleConnection c : idle) c.close();
      watch.close();
      cleanUpRemote();
    }
  }

  private static Map<String, Object> statsMap(Response.ServerStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", s.connections());
    m.put("loopPasses", s.loopPasses());
    m.put("maxPassMicros", s.maxPassMicros());
    m.put("p99PassMicros", s.p99PassMicros());
    m.put("heapUsedBytes", s.heapUsedBytes());
    return m;
  }

  /** Opens {@code --keep-open} idle sessions, then reads the server heap they cost. */
  private Report.KeepOpen openIdle(List<IdleConnection> idle, long heapBefore, ServerWatch watch)
      throws InterruptedException {
    long t0 = System.nanoTime();
    int threads = Math.min(32, keepOpen);
    ExecutorService openers = Executors.newFixedThreadPool(threads);
    Map<String, Integer> failures = new TreeMap<>();
    AtomicLong next = new AtomicLong();
    char[] pw = password.toCharArray();
    int timeoutMillis = Math.toIntExact(replyTimeout.toMillis());
    for (int t = 0; t < threads; t++) {
      openers.submit(() -> {
        long i;
        while ((i = next.getAndIncrement()) < keepOpen) {
          try {
            idle.add(IdleConnection.open(host, port, users.get((int) (i % users.size())), pw, timeoutMillis, tls));
          } catch (IOException | RuntimeException e) {
            synchronized (failures) {
              failures.merge(Tally.kindOf("keep-open", e), 1, Integer::sum);
            }
          }
        }
      });
    }
    openers.shutdown();
    openers.awaitTermination(1, TimeUnit.HOURS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    watch.sample(null); // closes the opening phase's window before any GC hook
    beforeHeapReading();
    ServerWatch.Sample after = watch.sample(ServerWatch.EXCLUDED);
    long heapAfter = after != null ? after.stats().heapUsedBytes() : -1;
    if (!failures.isEmpty()) err.println("keep-open failures: " + failures);
    return new Report.KeepOpen(keepOpen, idle.size(), failures, seconds, heapBefore, heapAfter, beforeStats != null);
  }

  private void beforeHeapReading() {
    if (beforeStats == null) return;
    try {
      Process p = new ProcessBuilder("sh", "-c", beforeStats).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroy();
      Thread.sleep(200);
    } catch (IOException e) {
      err.println("warning: --before-stats failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cleanUpLocal() {
    if (dir == null) return;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        boolean ours = name.startsWith("get-") || name.startsWith(".get-");
        if (ours || (tempDir && name.startsWith("selectftp-bench-"))) Files.deleteIfExists(f);
      }
      if (tempDir) Files.deleteIfExists(dir);
    } catch (IOException e) {
      err.println("warning: could not clean " + dir + ": " + e.getMessage());
    }
  }

  /** Deletes the per-client upload targets, so repeated runs do not pile up quota. */
  private void cleanUpRemote() {
    if (!mix.contains(Op.PUT)) return;
    for (String u : users) {
      try (FtpClient c = connect()) {
        c.login(u, password.toCharArray());
        for (Response.Entry e : c.list(REMOTE_DIR)) {
          if (e.name().startsWith("put-")) c.delete(REMOTE_DIR + "/" + e.name());
        }
      } catch (IOException e) {
        err.println("warning: could not remove uploads of " + u + ": " + e.getMessage());
      }
    }
  }

  /** One client: connects, waits for the start signal, loops over the mix. */
  /** What one round of workers did, and how long it took from the starting signal. */
  private record Round(Tally tally, double seconds) {}

  /** Runs {@code passes} passes (or, when 0, passes until the duration ends) over all clients. */
  private Round round(ExecutorService pool, long passes) throws Exception {
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong left = new AtomicLong(passes);
    List<Future<Tally>> futures = new ArrayList<>();
    long[] deadline = new long[1];
    for (int i = 0; i < clients; i++) {
      int index = i;
      futures.add(pool.submit(() -> new Worker(index, ready, go, left, deadline, passes).call()));
    }
    if (!ready.await(replyTimeout.toMillis() + 60_000L, TimeUnit.MILLISECONDS)) {
      err.println("warning: not every client was ready in time; starting anyway");
    }
    long t0 = System.nanoTime();
    deadline[0] = t0 + Units.parseDuration(duration).toNanos();
    go.countDown();
    List<Tally> parts = new ArrayList<>();
    for (Future<Tally> f : futures) parts.add(f.get());
    return new Round(Tally.merge(parts), (System.nanoTime() - t0) / 1e9);
  }

  private final class Worker implements Callable<Tally>, TransferListener {
    private final int index;
    private final String name;
    private final CountDownLatch ready;
    private final CountDownLatch go;
    private final AtomicLong left;
    private final long[] deadline;
    private final long passes;
    private final Tally tally = new Tally();
    private final char[] pw = password.toCharArray();
    private final Path localGet;
    private final String remotePut;
    private FtpClient client;
    private long startedAt;

    Worker(int index, CountDownLatch ready, CountDownLatch go, AtomicLong left, long[] deadline, long passes) {
      this.index = index;
      this.name = users.get(index % users.size());
      this.ready = ready;
      this.go = go;
      this.left = left;
      this.deadline = deadline;
      this.passes = passes;
      this.localGet = dir.resolve("get-" + index + ".bin");
      this.remotePut = REMOTE_DIR + "/put-" + index + ".bin";
    }

    @Override
    public Tally call() {
      boolean perPassLogin = mix.contains(Op.LOGIN);
      try {
        if (!perPassLogin) {
          try {
            client = connect();
            client.login(name, pw);
          } catch (IOException | RuntimeException e) {
            tally.fail(Tally.kindOf("setup-login", e));
            closeClient();
          }
        }
      } finally {
        ready.countDown();
      }
      try {
        go.await();
      } catch (InterruptedException e) {
        return tally;
      }
      while (claim()) {
        long passStart = System.nanoTime();
        boolean ok = pass();
        tally.iterations++;
        if (perPassLogin) {
          if (ok && client != null) {
            try {
              client.quit();
              tally.record(Step.SESSION, System.nanoTime() - passStart);
            } catch (IOException | RuntimeException e) {
              tally.fail(Tally.kindOf("quit", e));
            }
          }
          closeClient();
        }
      }
      if (client != null) {
        try {
          client.quit();
        } catch (IOException | RuntimeException ignored) {
          // the run is over
        }
        closeClient();
      }
      return tally;
    }

    private boolean claim() {
      if (passes > 0) return left.getAndDecrement() > 0;
      return System.nanoTime() < deadline[0];
    }

    /** One pass over the mix; stops at the first failure. */
    private boolean pass() {
      for (Op op : mix) {
        String opName = op.name().toLowerCase(Locale.ROOT);
        try {
          if (op == Op.LOGIN) {
            closeClient();
            long t = System.nanoTime();
            client = connect();
            client.login(name, pw);
            tally.record(Step.LOGIN, System.nanoTime() - t);
            continue;
          }
          if (client == null || !client.isOpen()) {
            closeClient();
            tally.reconnects++;
            client = connect();
            client.login(name, pw);
          }
          switch (op) {
            case LIST -> {
              long t = System.nanoTime();
              client.list(null);
              tally.record(Step.LIST, System.nanoTime() - t);
            }
            case GET -> {
              long t = System.nanoTime();
              startedAt = 0;
              long bytes = client.get(REMOTE_DIR + "/" + sourceName(sizeBytes), localGet, this).size();
              long end = System.nanoTime();
              if (startedAt > 0) tally.record(Step.GET_FIRST_BYTE, startedAt - t);
              tally.record(Step.GET, end - t);
              tally.bytesDown += bytes;
              tally.filesDown++;
            }
            case PUT -> {
              long t = System.nanoTime();
              startedAt = 0;
              long bytes = client.put(source, remotePut, this).size();
              long end = System.nanoTime();
              if (startedAt > 0) tally.record(Step.PUT_FIRST_BYTE, startedAt - t);
              tally.record(Step.PUT, end - t);
              tally.bytesUp += bytes;
              tally.filesUp++;
            }
            default -> throw new IllegalStateException(op.toString());
          }
        } catch (IOException | RuntimeException e) {
          tally.fail(Tally.kindOf(opName, e));
          if (client != null && !client.isOpen()) closeClient();
          return false;
        }
      }
      return true;
    }

    private void closeClient() {
      if (client != null) client.close();
      client = null;
    }

    @Override
    public void started(String file, long total, long resumedFrom) {
      startedAt = System.nanoTime();
    }

    @Override
    public void progress(long done) {}

    @Override
    public void finished() {}
  }
}
