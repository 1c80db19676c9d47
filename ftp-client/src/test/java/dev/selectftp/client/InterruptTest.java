package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.console.Interrupts;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during a transfer, without real signals: the first transfer's progress callback delivers an
 * interrupt through {@link Interrupts} once {@link #INTERRUPT_AT} bytes are in place, exactly as the SIGINT
 * handler does. The prompt or menu must go on, the partial must stay, and the same command must resume.
 */
@Timeout(60)
class InterruptTest {
  private static final String INTERRUPTED = "interrupted: run the same command again to resume";
  private static final int SIZE = 5 * 1024 * 1024 + 777;
  private static final long INTERRUPT_AT = 1024 * 1024;

  @TempDir Path localDir;
  @RegisterExtension final LiveServer server = new LiveServer();
  private final Interrupts interrupts = Interrupts.manual();
  private final AtomicInteger transfers = new AtomicInteger();
  /** For each transfer: the bytes it resumed from, and what {@code partialSize} said as it started. */
  private final List<Long> resumedFrom = new CopyOnWriteArrayList<>();
  private final List<Long> partialAtStart = new CopyOnWriteArrayList<>();
  private Supplier<Long> partialSize = () -> -1L;

  /** Wraps each transfer's progress bar; interrupts the first transfer mid-way. */
  private TransferListener interruptingTheFirst(TransferListener bar) {
    int number = transfers.incrementAndGet();
    return new TransferListener() {
      private boolean fired;

      @Override
      public void started(String name, long total, long resumed) {
        resumedFrom.add(resumed);
        partialAtStart.add(partialSize.get());
        bar.started(name, total, resumed);
      }

      @Override
      public void progress(long done) {
        bar.progress(done);
        if (number == 1 && !fired && done >= INTERRUPT_AT) {
          fired = true;
          assertTrue(interrupts.interrupt(), "a running transfer takes the interrupt");
        }
      }

      @Override
      public void finished() {
        bar.finished();
      }
    };
  }

  private ScriptedConsole prompt(String... lines) {
    return ScriptedConsole.run(server.port(),
        List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()), interrupts,
        this::interruptingTheFirst, lines);
  }

  private static long count(String text, String part) {
    return (text.length() - text.replace(part, "").length()) / part.length();
  }

  @Test
  void interruptedPutKeepsTheServersPartialAndTheSameCommandResumesAfterAReconnect() throws Exception {
    byte[] content = TestFiles.writeRandom(localDir.resolve("big.bin"), 21, SIZE);
    Path stored = server.home(LiveServer.DEMO_USER).resolve("sub").resolve("big.bin");
    partialSize = () -> TestFiles.sizeOrMissing(TestFiles.partialOf(stored));

    ScriptedConsole run = prompt("mkdir sub", "cd sub", "put big.bin", "pwd", "put big.bin", "quit");

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.err());
    assertEquals(1, count(run.out(), INTERRUPTED), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.endsWith(">>> " + INTERRUPTED)), "one line: " + run);
    // After the interrupt the next command reconnected, logged in again and is back in /sub.
    assertEquals(2, run.out().lines().filter(l -> l.equals("[xiaoyu] >>> /sub")).count(), run.toString());
    assertEquals(2, resumedFrom.size(), run.toString());
    long kept = resumedFrom.get(1);
    assertTrue(kept >= INTERRUPT_AT && kept < SIZE, "resumed from " + kept);
    assertEquals(kept, partialAtStart.get(1), "the server's hidden partial held what the retry skipped");
    assertTrue(run.out().contains("resumed from byte " + kept), run.toString());
    assertArrayEquals(content, Files.readAllBytes(stored), "byte-identical after the resume");
    assertFalse(Files.exists(TestFiles.partialOf(stored)));
  }

  @Test
  void anInterruptedPutLeavesAResumablePartialWhenTheSessionEnds() throws Exception {
    byte[] content = TestFiles.writeRandom(localDir.resolve("big.bin"), 22, SIZE);
    Path stored = server.home(LiveServer.DEMO_USER).resolve("big.bin");
    Path serverPartial = TestFiles.partialOf(stored);

    ScriptedConsole first = prompt("put big.bin");
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains(INTERRUPTED), first.toString());
    TestFiles.await("the server kept the partial", Duration.ofSeconds(10),
        () -> TestFiles.sizeOrMissing(serverPartial) >= INTERRUPT_AT);
    assertFalse(Files.exists(stored), "nothing under the real name");

    ScriptedConsole again = prompt("put big.bin");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("resumed from byte " + resumedFrom.get(1)), again.toString());
    assertTrue(resumedFrom.get(1) >= INTERRUPT_AT, resumedFrom.toString());
    assertArrayEquals(content, Files.readAllBytes(stored));
  }

  @Test
  void interruptedGetKeepsTheLocalPartialAndTheSameCommandResumes() throws Exception {
    byte[] content = TestFiles.randomBytes(23, SIZE);
    Files.write(server.home(LiveServer.DEMO_USER).resolve("big.bin"), content);
    Path local = localDir.resolve("big.bin");
    partialSize = () -> TestFiles.sizeOrMissing(TestFiles.partialOf(local));

    ScriptedConsole run = prompt("get big.bin", "pwd", "get big.bin");

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(1, count(run.out(), INTERRUPTED), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.equals("[xiaoyu] >>> /")), "the prompt went on: " + run);
    long kept = resumedFrom.get(1);
    assertTrue(kept >= INTERRUPT_AT && kept < SIZE, "resumed from " + kept);
    assertEquals(kept, partialAtStart.get(1), "the local partial held what the retry skipped");
    assertTrue(run.out().contains("resumed from byte " + kept), run.toString());
    assertArrayEquals(content, Files.readAllBytes(local));
    assertFalse(Files.exists(TestFiles.partialOf(local)));
  }

  @Test
  void theMenusGoOnAfterAnInterruptedUploadAndTheSameChoiceResumes() throws Exception {
    byte[] content = TestFiles.writeRandom(localDir.resolve("big.bin"), 24, SIZE);
    ScriptedConsole run = ScriptedConsole.run(server.port(), List.of("--local-dir", localDir.toString()),
        interrupts, this::interruptingTheFirst, "1", "xiaoyu", "123456", "1", "1", "1", "1", "0");

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(1, count(run.out(), INTERRUPTED), run.toString());
    assertTrue(run.out().contains("resumed from byte " + resumedFrom.get(1)), run.toString());
    assertTrue(resumedFrom.get(1) >= INTERRUPT_AT, resumedFrom.toString());
    assertArrayEquals(content, Files.readAllBytes(server.home(LiveServer.DEMO_USER).resolve("big.bin")));
  }

  @Test
  void anInterruptWithNoTransferRunningIsNotTaken() throws Exception {
    Files.writeString(localDir.resolve("a.txt"), "alpha");
    assertFalse(interrupts.interrupt(), "nothing runs before the session");
    ScriptedConsole run = ScriptedConsole.run(server.port(),
        List.of("-u", "xiaoyu", "-p", "123456", "--local-dir", localDir.toString()), "put a.txt", "pwd");
    assertEquals(0, run.exitCode(), run.toString());
    assertFalse(interrupts.interrupt(), "a finished transfer no longer takes the interrupt");
  }
}
