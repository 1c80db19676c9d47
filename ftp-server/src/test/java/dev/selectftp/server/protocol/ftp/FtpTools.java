package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the FTP door's tests share: external clients (curl, lftp, python3) and passive data connections. */
final class FtpTools {
  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");
  /** How long an external client may run. */
  private static final long CLIENT_SECONDS = 60;
  static final int READ_TIMEOUT_MILLIS = 15_000;

  private FtpTools() {}

  static boolean onPath(String tool) {
    try {
      return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The client's exit code and its output (stdout and stderr). */
  record Ran(int exit, String output) {}

  static Ran run(Path dir, List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertTrue(p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS), "client hung: " + command);
    return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Runs a Python script (given as text) with the port and further arguments. */
  static Ran python(Path dir, String name, String script, Object... args) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, script);
    List<String> command = new ArrayList<>(List.of("python3", file.toString()));
    for (Object a : args) command.add(String.valueOf(a));
    return run(dir, command);
  }

  /** EPSV on {@code c}, then a socket to the port offered. */
  static Socket passive(FtpLineClient c) throws IOException {
    String reply = c.command("EPSV");
    Matcher m = EPSV.matcher(reply);
    assertTrue(m.find(), reply);
    Socket data = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
    data.setSoTimeout(READ_TIMEOUT_MILLIS);
    return data;
  }

  /** STOR of {@code bytes}: EPSV, STOR, 150, the bytes, close, then the final reply (returned). */
  static String store(FtpLineClient c, String name, byte[] bytes) throws IOException {
    try (Socket data = passive(c)) {
      String first = c.command("STOR " + name);
      assertTrue(first.startsWith("150"), first);
      data.getOutputStream().write(bytes);
    }
    return c.reply();
  }

  /** A whole transfer of text: EPSV, the command, 150, every byte, 226. Returns the bytes as text. */
  static String transferText(FtpLineClient c, String command) throws IOException {
    try (Socket data = passive(c)) {
      String first = c.command(command);
      assertTrue(first.startsWith("150"), first);
      String text = new String(data.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String end = c.reply();
      assertTrue(end.startsWith("226"), end);
      return text;
    }
  }
}
