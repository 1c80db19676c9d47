package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail fast: a JVM whose event loop dies exits non-zero within seconds, even when a shutdown hook hangs. */
class FailFastTest {
  @TempDir Path dir;

  @Test
  void aDeadLoopEndsTheProcessWithStatusFourDespiteAStuckHook() throws Exception {
    Path output = dir.resolve("probe.out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long t = System.nanoTime();
    Process probe = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LoopDeathProbe.class.getName()))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean ended = probe.waitFor(15, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - t) / 1e9;
    if (!ended) probe.destroyForcibly().waitFor();
    String out = Files.readString(output);
    System.out.printf("[fail-fast] probe ended: %s after %.1f s (JVM start included), status %s%n", ended,
        seconds, ended ? probe.exitValue() : "-");
    assertTrue(ended, "the process must end on its own: " + out);
    assertEquals(FailFast.EXIT_LOOP_DIED, probe.exitValue(), out);
    assertTrue(out.contains("event loop died") && out.contains("OutOfMemoryError"), "one line says why: " + out);
    assertTrue(seconds < 10, "ended after " + seconds + " s");
  }
}
