package dev.selectftp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.client.Main;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.Sigint;
import dev.selectftp.testing.TestFiles;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's promises about the console client, checked on the client as its own process, the way a user
 * runs it (its own {@code logback.xml}, not the tests'): errors are one line with the details in
 * {@code client.log}, Ctrl-C (SIGINT) during a one-shot transfer exits 130 and keeps the partial, and the
 * menus' login reads the password without echo on a terminal.
 */
class ClientPromisesTest {
  /** A sparse local file: quick to make, long enough to upload that a signal lands mid-transfer. */
  private static final long BIG = 512L * 1024 * 1024;

  @TempDir Path dir;
  @RegisterExtension final LiveServer server = new LiveServer();

  /** The client's command line with the classpath it is installed with (no test classes). */
  private List<String> client(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(java, "-Duser.home=" + dir.resolve("home"),
        "-Dselectftp.logDir=" + dir.resolve("logs"), "-cp", classpath, Main.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void anErrorIsOneLineOnStderrAndItsDetailsGoToClientLog() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    Process p = new ProcessBuilder(client("-P", String.valueOf(closed), "-u", "xiaoyu", "-p", "123456", "ls"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue(), "a refused connection is exit 3: " + err);
    List<String> lines = err.lines().toList();
    assertEquals(1, lines.size(), "one line on stderr: " + err);
    assertTrue(lines.get(0).startsWith("error: "), err);
    assertFalse(err.contains("\tat "), "no stack trace for the user: " + err);
    Path log = dir.resolve("logs/client.log");
    assertTrue(Files.isRegularFile(log), "client.log in -Dselectftp.logDir");
    String details = Files.readString(log);
    assertTrue(details.contains("ConnectException") && details.contains("\tat "),
        "the details (exception and stack) are in client.log: " + details);
  }

  @Test
  void sigintDuringAOneShotUploadExitsWith130AndTheServerKeepsThePartial() throws Exception {
    Sigint.assumeDeliverable();
    Path local = Files.createDirectories(dir.resolve("local"));
    try (RandomAccessFile sparse = new RandomAccessFile(local.resolve("big.bin").toFile(), "rw")) {
      sparse.setLength(BIG);
    }
    Path partial = TestFiles.partialOf(server.home(LiveServer.DEMO_USER).resolve("big.bin"));
    Process p = new ProcessBuilder(client("-P", String.valueOf(server.port()), "-u", "xiaoyu", "-p", "123456",
        "--local-dir", local.toString(), "put", "big.bin"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("stderr").toFile()).start();
    TestFiles.await("the upload under way", LiveServer.TIMEOUT, () -> TestFiles.sizeOrMissing(partial) > 0);
    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -INT");
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the client ends on SIGINT");
    long kept = TestFiles.sizeOrMissing(partial);
    System.out.printf("[client] SIGINT during put: exit %d, server kept %d of %d bytes%n", p.exitValue(), kept, BIG);
    assertEquals(130, p.exitValue(), "Ctrl-C is exit 130: " + Files.readString(dir.resolve("stderr")));
    assertTrue(kept > 0 && kept < BIG, "the partial stays for a resume: " + kept);
    assertFalse(Files.exists(server.home(LiveServer.DEMO_USER).resolve("big.bin")), "nothing under the name");
  }

  @Test
  void theMenusLoginReadsThePasswordWithoutEcho() throws Exception {
    assumeTrue(available("python3"), "python3 is needed for a pseudo-terminal");
    Path driver = dir.resolve("pty-drive.py");
    try (var in = getClass().getResourceAsStream("/pty-drive.py")) {
      Files.copy(in, driver);
    }
    String password = "123456";
    Path steps = Files.write(dir.resolve("steps"), List.of("expect Input your choice>>>: ", "send 1\\r",
        "expect Input your login user name>>>: ", "send xiaoyu\\r", "expect Input your login password>>>: ",
        "send " + password + "\\r", "expect [xiaoyu] operation command", "expect Input your operation>>>: ",
        "send 0\\r", "expect Goodbye"), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of("python3", driver.toString(), steps.toString(), "--"));
    command.addAll(client("-P", String.valueOf(server.port())));
    Process p = new ProcessBuilder(command).redirectError(dir.resolve("status").toFile()).start();
    String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the pty driver ended");
    assertEquals("exit=0", Files.readString(dir.resolve("status")).strip(), transcript);
    assertTrue(transcript.contains("xiaoyu"), "the user name is echoed as typed: " + transcript);
    assertFalse(transcript.contains(password), "the password is not echoed: " + transcript);
  }

  private static boolean available(String binary) {
    try {
      return new ProcessBuilder(binary, "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
