package dev.selectftp.server.hostile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.selectftp.common.FrameDecoder;
import dev.selectftp.common.Frames;
import dev.selectftp.common.MessageCodec;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * Item 7 of issue 4: property-based fuzzing (jqwik) of the frame decoder and codec, and of a live server over
 * sockets. The properties run a short CI-sized number of tries; {@code -Dfuzz.tries=N} adds a long run of N
 * generated inputs per target (see docs/SECURITY.md for the command).
 */
class FuzzTest {
  private static final long ALLOCATION_SLACK = 64 * 1024;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  static final AtomicLong executions = new AtomicLong();

  static FtpServer server;
  static Path dataDir;
  static ErrorCollector errors;

  /** Keeps ERROR events from any thread (the loop logs them); thread-safe, unlike ListAppender. */
  static final class ErrorCollector extends ch.qos.logback.core.AppenderBase<ILoggingEvent> {
    final java.util.Queue<ILoggingEvent> list = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.ERROR)) list.add(event);
    }
  }

  @BeforeContainer
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("selectftp-fuzz");
    server = FtpServer.start(ServerConfig.forTests(dataDir));
    try (RawClient c = RawClient.connect(server.port(), "127.0.5.1")) {
      check(c.register("fuzzer", "fuzz-pass") instanceof Response.Ok, "register fuzzer");
      check(c.register("checker", "check-pass") instanceof Response.Ok, "register checker");
    }
    errors = new ErrorCollector();
    errors.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(errors);
  }

  @AfterContainer
  static void stop() throws IOException {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(errors);
    if (server != null) server.close();
    System.out.println("[fuzz] executions in this run: " + executions.get());
    try (var walk = Files.walk(dataDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  // ---------------------------------------------------------------- generators

  private static <T> T orNull(Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException refusedByConstructor) {
      return null;
    }
  }

  static Arbitrary<String> paths() {
    return Arbitraries.oneOf(
        Arbitraries.of("", ".", "..", "/", "a", "a/b", "../../etc/passwd", "/..", "notes", "welcome.txt",
            "sample.bin", "x.selectftp-part", ".a.selectftp-part", "a\\b", "c:", "\u2024\u2024/x", "d/"),
        Arbitraries.strings().ofMaxLength(24),
        Arbitraries.strings().withCharRange('a', 'e').withChars('/', '.').ofMaxLength(12));
  }

  static Arbitrary<String> junkText() {
    return Arbitraries.strings().ofMaxLength(40);
  }

  static Arbitrary<String> base64() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> Base64.getEncoder().encodeToString(b));
  }

  /** Valid request records (the constructors' own checks filter what could never be sent). */
  @Provide
  static Arbitrary<Request> requests() {
    Arbitrary<String> user = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8).map(s -> "f-" + s);
    Arbitrary<Long> sizes = Arbitraries.longs().between(0, 1 << 16);
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    Arbitrary<Request> any = Arbitraries.oneOf(
        user.map(u -> (Request) new Request.AuthStart("n,,n=" + u + ",r=fuzznonce")),
        junkText().map(s -> orNull(() -> new Request.AuthStart(s))),
        junkText().map(s -> orNull(() -> new Request.AuthFinish(s))),
        Combinators.combine(user, base64(), Arbitraries.integers().between(-5, 10_000), base64(), base64())
            .as((u, s, i, k1, k2) -> orNull(() -> new Request.Register(u, s, i, k1, k2))),
        paths().map(p -> orNull(() -> new Request.List(p))),
        Arbitraries.just(new Request.List(null)),
        paths().map(p -> orNull(() -> new Request.ChangeDir(p))),
        Arbitraries.just(new Request.PrintDir()),
        paths().map(p -> orNull(() -> new Request.MakeDir(p))),
        paths().map(p -> orNull(() -> new Request.Delete(p))),
        Combinators.combine(paths(), paths()).as((a, b) -> orNull(() -> new Request.Rename(a, b))),
        Arbitraries.just(new Request.QuotaQuery()),
        paths().map(p -> orNull(() -> new Request.Hash(p))),
        Combinators.combine(paths(), sizes).as((p, s) -> orNull(() -> new Request.Put(p, s))),
        Combinators.combine(sizes, sizes).as((o, l) -> orNull(() -> new Request.PutData(o, l))),
        hex.map(h -> orNull(() -> new Request.PutCommit(h))),
        Combinators.combine(paths(), Arbitraries.longs().between(0, 100), hex)
            .as((p, o, h) -> orNull(() -> new Request.Get(p, o, o == 0 ? null : h))),
        Arbitraries.just(new Request.Stats()));
    return any.filter(Objects::nonNull);
  }

  /** One piece of a hostile byte stream. */
  @Provide
  static Arbitrary<byte[]> pieces() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, requests().map(RawClient::frame)),
        net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(FuzzTest::withHeader)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(requests(), Arbitraries.integers().between(0, 1_000_000))
            .as(FuzzTest::mutated)),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(24)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(n -> ByteBuffer.allocate(4).putInt(n).array())));
  }

  @Provide
  static Arbitrary<List<byte[]>> streams() {
    return pieces().list().ofMinSize(1).ofMaxSize(10);
  }

  static byte[] withHeader(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  /** A valid request's JSON with a few bytes flipped, inserted or removed, re-framed with a correct length. */
  static byte[] mutated(Request request, int seed) {
    byte[] json = MessageCodec.json(request).getBytes(StandardCharsets.UTF_8);
    Random r = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : json) {
      int dice = r.nextInt(40);
      if (dice == 0) continue; // drop
      if (dice == 1) out.write(r.nextInt(256)); // insert before
      out.write(dice == 2 ? r.nextInt(256) : b); // flip
    }
    return withHeader(out.toByteArray());
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- decoder and codec

  @Property(tries = 1000)
  void decoderAndCodecOnlyEverThrowProtocolException(@ForAll("streams") List<byte[]> stream,
      @ForAll("cuts") List<Integer> cuts) {
    decodeAll(concat(stream), cuts);
  }

  @Property(tries = 500)
  void randomBytesOnlyEverThrowProtocolException(@ForAll byte[] bytes, @ForAll("cuts") List<Integer> cuts) {
    decodeAll(bytes, cuts);
  }

  @Provide
  static Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(1, 300).list().ofMaxSize(20);
  }

  /**
   * Feeds {@code bytes} in pieces of the given sizes: every frame is within the cap, the decoder allocates no
   * more than one frame's worth per call, and only ProtocolException ever escapes. After a framing error
   * the stream is abandoned, as the server does.
   */
  static void decodeAll(byte[] bytes, List<Integer> cuts) {
    executions.incrementAndGet();
    FrameDecoder decoder = new FrameDecoder();
    int at = 0;
    int cut = 0;
    long tid = Thread.currentThread().getId();
    while (at < bytes.length) {
      int size = cuts.isEmpty() ? bytes.length : cuts.get(cut++ % cuts.size());
      ByteBuffer piece = ByteBuffer.wrap(bytes, at, Math.min(size, bytes.length - at));
      at += piece.remaining();
      while (piece.hasRemaining()) {
        byte[] frame;
        long before = THREADS.getThreadAllocatedBytes(tid);
        try {
          frame = decoder.next(piece);
        } catch (ProtocolException e) {
          check(e.isFatal(), "the decoder only throws framing errors: " + e.code());
          return;
        }
        long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
        check(allocated <= Frames.MAX_FRAME_BYTES + ALLOCATION_SLACK, "decoder allocated " + allocated + " bytes");
        if (frame == null) break;
        check(frame.length <= Frames.MAX_FRAME_BYTES, "frame over the cap");
        try {
          Objects.requireNonNull(MessageCodec.decodeRequest(frame));
        } catch (ProtocolException e) {
          check(!e.isFatal(), "a payload problem never closes the stream");
        }
      }
    }
  }

  /** Valid frames in any order, cut anywhere, come out as the same requests in the same order. */
  @Property(tries = 500)
  void shuffledValidFramesRoundTrip(@ForAll("requestLists") List<Request> requests,
      @ForAll("cuts") List<Integer> cuts) throws ProtocolException {
    executions.incrementAndGet();
    List<byte[]> frames = new ArrayList<>();
    for (Request r : requests) frames.add(RawClient.frame(r));
    byte[] bytes = concat(frames);
    FrameDecoder decoder = new FrameDecoder();
    List<Request> out = new ArrayList<>();
    int at = 0;
    int cut = 0;
    while (at < bytes.length) {
      int size = cuts.isEmpty() ? bytes.length : cuts.get(cut++ % cuts.size());
      ByteBuffer piece = ByteBuffer.wrap(bytes, at, Math.min(size, bytes.length - at));
      at += piece.remaining();
      byte[] frame;
      while ((frame = decoder.next(piece)) != null) out.add(MessageCodec.decodeRequest(frame));
    }
    check(out.equals(requests), "round trip changed the requests: " + requests + " -> " + out);
    check(!decoder.hasPartialFrame(), "nothing left over");
  }

  @Provide
  static Arbitrary<List<Request>> requestLists() {
    return requests().list().ofMaxSize(12).map(l -> {
      List<Request> shuffled = new ArrayList<>(l);
      java.util.Collections.shuffle(shuffled, new Random(l.size()));
      return shuffled;
    });
  }

  // ---------------------------------------------------------------- live server

  /**
   * Random frames and bytes into a live server, before login and logged in: the server never dies, never
   * logs an unexpected failure, and a fresh client always logs in and lists afterwards.
   */
  @Property(tries = 150)
  void liveServerSurvivesRandomStreams(@ForAll("streams") List<byte[]> stream, @ForAll boolean loggedIn,
      @ForAll("addresses") int address) throws IOException {
    liveTry(stream, loggedIn, address);
  }

  @Provide
  static Arbitrary<Integer> addresses() {
    return Arbitraries.integers().between(1, 250);
  }

  static void liveTry(List<byte[]> stream, boolean loggedIn, int address) throws IOException {
    executions.incrementAndGet();
    try (RawClient c = RawClient.connect(server.port(), "127.0.3." + address)) {
      if (loggedIn) {
        // The logged-in variant must really be logged in, or it silently repeats the logged-out one.
        Response r = c.tryLogin("fuzzer", "fuzz-pass");
        check(r instanceof Response.AuthOk, "the fuzzer logs in before its stream: " + r);
      }
      try {
        for (byte[] piece : stream) c.sendBytes(piece);
      } catch (IOException closedByServer) {
        // a framing error closes the connection: expected
      }
      drainBriefly(c);
    }
    if (executions.get() % 10 == 0) assertFreshClientServed();
    check(errors.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)),
        "the server logged an unexpected failure: " + firstError());
  }

  private static void drainBriefly(RawClient c) {
    try {
      c.socket.setSoTimeout(30);
      byte[] sink = new byte[8192];
      while (c.rawIn().read(sink) >= 0) {
        // read whatever is already there
      }
    } catch (SocketTimeoutException enough) {
      // nothing more right now
    } catch (IOException closed) {
      // reset by the server
    }
  }

  static void assertFreshClientServed() throws IOException {
    try (RawClient c = RawClient.connect(server.port(), "127.0.5.2")) {
      c.login("checker", "check-pass");
      c.list();
    }
  }

  private static String firstError() {
    return errors.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ": " + e.getThrowableProxy().getMessage()))
        .findFirst().orElse("none");
  }

  // ---------------------------------------------------------------- long run on demand

  /** Inputs per target of {@link #longRunOnDemand} without {@code -Dfuzz.tries}: enough to run every step once. */
  private static final long DEFAULT_LONG_RUN_TRIES = 20;

  /**
   * {@code -Dfuzz.tries=N}: N more generated inputs for each target, without shrinking. Without the property a
   * short run of {@link #DEFAULT_LONG_RUN_TRIES} still goes through every step (so the long run cannot rot
   * unnoticed, and this test never passes having done nothing).
   */
  @Example
  void longRunOnDemand() throws Exception {
    long tries = Long.getLong("fuzz.tries", DEFAULT_LONG_RUN_TRIES);
    check(tries > 0, "-Dfuzz.tries must be positive, not " + tries);
    long executionsBefore = executions.get();
    long start = System.nanoTime();
    var streamSamples = streams().generator(1000);
    var cutSamples = cuts().generator(1000);
    var listSamples = requestLists().generator(1000);
    Random random = new Random(Long.getLong("fuzz.seed", System.nanoTime()));
    net.jqwik.api.Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    var byteSamples = randomBytes.generator(1000);
    long liveEvery = Long.getLong("fuzz.liveEvery", 20);
    for (long i = 0; i < tries; i++) {
      List<byte[]> stream = streamSamples.next(random).value();
      List<Integer> cuts = cutSamples.next(random).value();
      decodeAll(concat(stream), cuts);
      decodeAll(byteSamples.next(random).value(), cuts);
      List<Request> list = listSamples.next(random).value();
      shuffledValidFramesRoundTrip(list, cuts);
      if (i % liveEvery == 0) liveTry(stream, random.nextBoolean(), 1 + random.nextInt(250));
    }
    assertFreshClientServed();
    // Per input: two decoder runs and one round trip; a live try every liveEvery inputs.
    long planned = 3 * tries + (tries + liveEvery - 1) / liveEvery;
    check(executions.get() - executionsBefore == planned,
        "every planned input ran: " + (executions.get() - executionsBefore) + " of " + planned);
    System.out.printf("[fuzz] long run: %d inputs per decoder target, %d live, %.1f s%n", tries, tries / liveEvery,
        (System.nanoTime() - start) / 1e9);
  }
}
