package dev.selectftp.client.bench;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.TransferListener;
import dev.selectftp.client.bench.Plan.Op;
import dev.selectftp.client.bench.Tally.Step;
import dev.selectftp.client.tls.ClientTls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients' work: a round starts one worker per client, lets them all log in (unless the mix logs in
 * per pass), starts them together and gathers their tallies. Each worker loops over the op mix with its own
 * {@link FtpClient}; every transfer goes through the library's verified put and get.
 */
final class Workload {
  /** What one round of workers did, and how long it took from the starting signal. */
  record Round(Tally tally, double seconds) {}

  private final Plan plan;
  private final ClientTls tls;
  private final Fixtures fixtures;
  private final PrintStream err;

  Workload(Plan plan, ClientTls tls, Fixtures fixtures, PrintStream err) {
    this.plan = plan;
    this.tls = tls;
    this.fixtures = fixtures;
    this.err = err;
  }

  /** Runs {@code passes} passes (or, when 0, passes until the duration ends) over all clients. */
  Round round(ExecutorService pool, long passes) throws Exception {
    int clients = plan.clients();
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong left = new AtomicLong(passes);
    List<Future<Tally>> futures = new ArrayList<>();
    long[] deadline = new long[1];
    for (int i = 0; i < clients; i++) {
      int index = i;
      futures.add(pool.submit(() -> new Worker(index, ready, go, left, deadline, passes).call()));
    }
    if (!ready.await(plan.replyTimeout().toMillis() + 60_000L, TimeUnit.MILLISECONDS)) {
      err.println("warning: not every client was ready in time; starting anyway");
    }
    long t0 = System.nanoTime();
    deadline[0] = t0 + plan.duration().toNanos();
    go.countDown();
    List<Tally> parts = new ArrayList<>();
    for (Future<Tally> f : futures) parts.add(f.get());
    return new Round(Tally.merge(parts), (System.nanoTime() - t0) / 1e9);
  }

  /** One client: connects, waits for the start signal, loops over the mix. */
  private final class Worker implements Callable<Tally>, TransferListener {
    private final int index;
    private final String name;
    private final CountDownLatch ready;
    private final CountDownLatch go;
    private final AtomicLong left;
    private final long[] deadline;
    private final long passes;
    private final Tally tally = new Tally();
    private final char[] pw = plan.password().toCharArray();
    private final String remoteGet;
    private final Path localGet;
    private final String remotePut;
    private FtpClient client;
    private long startedAt;

    Worker(int index, CountDownLatch ready, CountDownLatch go, AtomicLong left, long[] deadline, long passes) {
      this.index = index;
      this.name = plan.users().get(index % plan.users().size());
      this.ready = ready;
      this.go = go;
      this.left = left;
      this.deadline = deadline;
      this.passes = passes;
      this.remoteGet = Fixtures.REMOTE_DIR + "/" + Fixtures.sourceName(plan.sizeBytes());
      this.localGet = fixtures.dir().resolve("get-" + index + ".bin");
      this.remotePut = Fixtures.REMOTE_DIR + "/put-" + index + ".bin";
    }

    @Override
    public Tally call() {
      boolean perPassLogin = plan.has(Op.LOGIN);
      try {
        if (!perPassLogin) {
          try {
            client = plan.connect(tls);
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
      for (Op op : plan.mix()) {
        String opName = op.name().toLowerCase(Locale.ROOT);
        try {
          if (op == Op.LOGIN) {
            closeClient();
            long t = System.nanoTime();
            client = plan.connect(tls);
            client.login(name, pw);
            tally.record(Step.LOGIN, System.nanoTime() - t);
            continue;
          }
          if (client == null || !client.isOpen()) {
            closeClient();
            tally.reconnects++;
            client = plan.connect(tls);
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
              long bytes = client.get(remoteGet, localGet, this).size();
              long end = System.nanoTime();
              if (startedAt > 0) tally.record(Step.GET_FIRST_BYTE, startedAt - t);
              tally.record(Step.GET, end - t);
              tally.bytesDown += bytes;
              tally.filesDown++;
            }
            case PUT -> {
              long t = System.nanoTime();
              startedAt = 0;
              long bytes = client.put(fixtures.source(), remotePut, this).size();
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
