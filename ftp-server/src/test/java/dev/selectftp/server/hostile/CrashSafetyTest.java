package dev.selectftp.server.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 5 of issue 4: the server, in its own JVM, is killed with SIGKILL during uploads and during
 * registrations, then restarted on the same data: no visible file is incomplete or unverified, partials
 * resume, and every confirmed registration is in a users file that parses.
 */
class CrashSafetyTest {
  private static final Set<String> DEMO_FILES = Set.of("welcome.txt", "notes/todo.md", "sample.bin");

  @TempDir Path dir;

  @Test
  void killDuringUploadsLosesNothingConfirmedAndPartialsResume() throws Exception {
    Path data = dir.resolve("data");
    Path logs = dir.resolve("logs");
    byte[] big = new byte[4 << 20];
    new Random(42).nextBytes(big);
    int cut = 1_500_000;
    Map<String, String> sent = new ConcurrentHashMap<>(); // every name ever sent -> sha of its only version
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger loops = new AtomicInteger();

    try (ServerProcess first = ServerProcess.start(data, logs)) {
      // Uploads that keep completing (and committing) right up to the kill.
      List<Thread> uploaders = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int id = t;
        Thread th = new Thread(() -> {
          Random r = new Random(id);
          try (RawClient c = RawClient.connect(first.port).login("xiaoyu", "123456")) {
            for (int n = 0; !stop.get(); n++) {
              byte[] content = new byte[64 * 1024 + r.nextInt(512 * 1024)];
              r.nextBytes(content);
              String name = "loop-" + id + "-" + n + ".bin";
              sent.put(name, RawClient.sha256(content));
              Response done = c.upload(name, content);
              if (done instanceof Response.PutDone) confirmed.add(name);
              loops.incrementAndGet();
            }
          } catch (IOException | AssertionError killed) {
            // the server died under us: expected
          }
        });
        th.start();
        uploaders.add(th);
      }
      // One big upload stopped in the middle of its bytes.
      RawClient half = RawClient.connect(first.port).login("xiaoyu", "123456");
      half.send(new Request.Put("big.bin", big.length));
      assertEquals(0, half.expect(Response.PutReady.class).offset());
      half.send(new Request.PutData(0, big.length));
      half.sendBytes(Arrays.copyOf(big, cut));
      sent.put("big.bin", RawClient.sha256(big));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (confirmed.size() < 6 && System.nanoTime() < deadline) Thread.sleep(20);
      Thread.sleep(200); // let the server take in the half upload's bytes
      first.kill();
      stop.set(true);
      for (Thread th : uploaders) th.join(10_000);
      half.close();
    }
    assertTrue(confirmed.size() >= 6, "uploads completed before the kill: " + confirmed.size());

    try (ServerProcess second = ServerProcess.start(data, logs)) {
      Path home = data.resolve("home/xiaoyu");
      int visible = 0;
      int partials = 0;
      try (Stream<Path> files = Files.walk(home)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String rel = home.relativize(f).toString();
          if (f.getFileName().toString().endsWith(".selectftp-part")) {
            partials++;
            continue;
          }
          visible++;
          if (DEMO_FILES.contains(rel)) continue;
          assertTrue(sent.containsKey(rel), "a visible file nobody uploaded: " + rel);
          assertEquals(sent.get(rel), RawClient.sha256(Files.readAllBytes(f)), rel + " is incomplete or corrupt");
        }
      }
      for (String name : confirmed) {
        assertTrue(Files.isRegularFile(home.resolve(name)), "confirmed upload lost: " + name);
      }
      assertTrue(!Files.exists(home.resolve("big.bin")), "the half upload must not be visible");
      System.out.printf("[crash] SIGKILL during uploads: %d confirmed, %d visible files all verified, %d partials "
          + "left, %d upload attempts in all%n", confirmed.size(), visible, partials, loops.get());

      try (RawClient c = RawClient.connect(second.port).login("xiaoyu", "123456")) {
        assertTrue(c.list().entries().stream().noneMatch(e -> e.name().contains("selectftp-part")));
        c.send(new Request.Put("big.bin", big.length));
        Response.PutReady ready = c.expect(Response.PutReady.class);
        assertTrue(ready.offset() > 0 && ready.offset() <= cut, "resumes from the kept bytes: " + ready.offset());
        assertEquals(RawClient.sha256(Arrays.copyOf(big, (int) ready.offset())), ready.prefixSha256(),
            "the kept prefix is exactly what was sent");
        c.send(new Request.PutData(ready.offset(), big.length - ready.offset()));
        c.sendBytes(Arrays.copyOfRange(big, (int) ready.offset(), big.length));
        c.send(new Request.PutCommit(RawClient.sha256(big)));
        Response.PutDone done = c.expect(Response.PutDone.class);
        assertEquals(RawClient.sha256(big), done.sha256());
        assertEquals(RawClient.sha256(big), RawClient.sha256(Files.readAllBytes(home.resolve("big.bin"))));
        System.out.printf("[crash] big.bin resumed from byte %d of %d (cut at %d)%n", ready.offset(), big.length, cut);
        assertTrue(Arrays.equals(big, c.download("big.bin")));
      }
    }
  }

  @Test
  void killDuringRegistrationsKeepsEveryConfirmedUser() throws Exception {
    Path data = dir.resolve("data");
    Path logs = dir.resolve("logs");
    Set<String> confirmed = ConcurrentHashMap.newKeySet();
    AtomicInteger attempted = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (ServerProcess first = ServerProcess.start(data, logs)) {
      List<Thread> registrars = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int id = t;
        Thread th = new Thread(() -> {
          try (RawClient c = RawClient.connect(first.port)) {
            for (int n = 0; !stop.get(); n++) {
              String name = "reg-" + id + "-" + n;
              attempted.incrementAndGet();
              if (c.register(name, "pw-" + name) instanceof Response.Ok) confirmed.add(name);
            }
          } catch (IOException | AssertionError killed) {
            // expected
          }
        });
        th.start();
        registrars.add(th);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (confirmed.size() < 12 && System.nanoTime() < deadline) Thread.sleep(10);
      first.kill();
      stop.set(true);
      for (Thread th : registrars) th.join(10_000);
    }
    assertTrue(confirmed.size() >= 12, "registrations confirmed before the kill: " + confirmed.size());
    // users.json plus its journal, read as the server reads them (issue 9: registrations append to a journal).
    Set<String> stored = new HashSet<>(new dev.selectftp.server.accounts.UserStore(data).load().keySet());
    Set<String> missing = new HashSet<>(confirmed);
    missing.removeAll(stored);
    assertTrue(missing.isEmpty(), "confirmed registrations lost: " + missing);
    System.out.printf("[crash] SIGKILL during registrations: %d attempted, %d confirmed, all %d in users.json "
        + "(which holds %d users)%n", attempted.get(), confirmed.size(), confirmed.size(), stored.size());
    try (ServerProcess second = ServerProcess.start(data, logs)) {
      String someone = confirmed.iterator().next();
      try (RawClient c = RawClient.connect(second.port)) {
        c.login(someone, "pw-" + someone);
        c.list();
      }
      try (RawClient c = RawClient.connect(second.port)) {
        assertInstanceOf(Response.Ok.class, c.register("after-crash", "pw"));
      }
    }
  }
}
