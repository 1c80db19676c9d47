package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Item 6 of issue 4 (races): one registration wins; concurrent file operations never mix or lose a file. */
class RacesTest {
  @TempDir Path dir;

  @Test
  void twentyClientsRegisteringOneNameExactlyOneWins() throws Exception {
    int clients = 20;
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      List<RawClient> connected = new ArrayList<>();
      for (int i = 0; i < clients; i++) connected.add(RawClient.connect(server.port()));
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch gate = new CountDownLatch(1);
      List<Future<Response>> answers = new ArrayList<>();
      try {
        for (RawClient c : connected) {
          answers.add(pool.submit(() -> {
            gate.await();
            return c.register("racer", "pass-" + System.identityHashCode(c));
          }));
        }
        gate.countDown();
        int ok = 0;
        int exists = 0;
        for (Future<Response> f : answers) {
          Response r = f.get(30, TimeUnit.SECONDS);
          if (r instanceof Response.Ok) ok++;
          else if (r instanceof Response.Error e && e.code().equals("user-exists")) exists++;
          else throw new AssertionError("unexpected answer " + r);
        }
        assertEquals(1, ok, "exactly one registration wins");
        assertEquals(clients - 1, exists);
      } finally {
        pool.shutdownNow();
        connected.forEach(RawClient::close);
      }
    }
    // Read as the server reads users.json and its journal (issue 9); a duplicate would fail the load.
    long racers = new dev.selectftp.server.accounts.UserStore(dir).load().keySet().stream()
        .filter(n -> n.equalsIgnoreCase("racer")).count();
    assertEquals(1, racers, "the users hold the name once");
  }

  /**
   * Two sessions of one user put, delete and rename the same few names as fast as they can. Every answer
   * must be a success or an expected refusal, and every file left must be byte-for-byte one of the versions
   * that was uploaded (no mixed content), with the quota matching the bytes on disk.
   */
  @Test
  void twoSessionsFightingOverTheSameNamesNeverMixFiles() throws Exception {
    long runMillis = Long.getLong("races.millis", 3_000);
    Set<String> uploaded = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> allowedRefusals = Set.of("not-found", "exists", "busy", "is-a-directory", "not-a-directory");
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(dir))) {
      try (RawClient setup = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        setup.send(new Request.MakeDir("race"));
        setup.expect(Response.Ok.class);
      }
      String[] names = {"race/a.bin", "race/b.bin", "race/c.bin"};
      ExecutorService pool = Executors.newFixedThreadPool(2);
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
      List<Future<?>> sessions = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        int session = s;
        sessions.add(pool.submit(() -> {
          Random random = new Random(session);
          try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
            for (int n = 0; System.nanoTime() < end; n++) {
              String name = names[random.nextInt(names.length)];
              Response r;
              String op;
              switch (random.nextInt(4)) {
                case 0, 1 -> {
                  op = "put";
                  byte[] content = version(session, n, random);
                  uploaded.add(RawClient.sha256(content));
                  r = c.upload(name, content);
                }
                case 2 -> {
                  op = "delete";
                  c.send(new Request.Delete(name));
                  r = c.next();
                }
                default -> {
                  op = "rename";
                  c.send(new Request.Rename(name, names[random.nextInt(names.length)]));
                  r = c.next();
                }
              }
              String outcome = r instanceof Response.Error e ? e.code() : "ok";
              outcomes.computeIfAbsent(op + ":" + outcome, k -> new AtomicInteger()).incrementAndGet();
              if (r instanceof Response.Error e && !allowedRefusals.contains(e.code())) {
                unexpected.add(op + " " + name + " -> " + e);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : sessions) f.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      System.out.println("[races] outcomes of two sessions over " + runMillis + " ms: " + new java.util.TreeMap<>(outcomes));
      assertTrue(unexpected.isEmpty(), "unexpected answers: " + unexpected);
      assertTrue(outcomes.getOrDefault("put:ok", new AtomicInteger()).get() > 0, "some uploads succeeded");

      Path race = dir.resolve("home/xiaoyu/race");
      try (Stream<Path> files = Files.list(race)) {
        for (Path f : files.toList()) {
          String sha = RawClient.sha256(Files.readAllBytes(f));
          boolean partial = f.getFileName().toString().endsWith(".selectftp-part");
          assertTrue(partial || uploaded.contains(sha), f.getFileName() + " holds content nobody uploaded");
        }
      }
      // The server still answers, and its quota figure matches what is on disk.
      try (RawClient c = RawClient.connect(server.port()).login("xiaoyu", "123456")) {
        c.list();
        c.send(new Request.QuotaQuery());
        long used = c.expect(Response.QuotaInfo.class).used();
        long onDisk;
        try (Stream<Path> all = Files.walk(dir.resolve("home/xiaoyu"))) {
          onDisk = all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(onDisk, used, "quota bookkeeping must match the bytes on disk");
      }
    }
  }

  /** A distinct version: a header naming it, then random bytes, 1 to 100 KiB in all. */
  private static byte[] version(int session, int n, Random random) {
    byte[] header = ("session " + session + " version " + n + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[header.length + 1 + random.nextInt(100 * 1024)];
    random.nextBytes(content);
    System.arraycopy(header, 0, content, 0, header.length);
    return content;
  }
}
