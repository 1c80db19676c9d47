package dev.selectftp.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The processes a cluster of {@code deploy/cluster.sh} runs, found from outside as a user would: the pid files
 * {@code up} writes in the state folder (HAProxy, each node, S3Proxy), PostgreSQL's own {@code postmaster.pid},
 * the children of all of them (PostgreSQL's workers), and any other process whose command line names the state
 * folder. A {@link ProcessHandle} keeps the process's start time, so a pid reused later is not mistaken for it.
 */
final class ClusterProcesses {
  /** The pid files {@code up} writes, relative to the state folder; node pid files are found by listing. */
  private static final List<String> PID_FILES = List.of("haproxy.pid", "s3/pid", "pg/data/postmaster.pid");

  private ClusterProcesses() {}

  /** Everything the cluster in {@code state} runs now. */
  static List<ProcessHandle> of(Path state) throws IOException {
    Set<ProcessHandle> found = new LinkedHashSet<>();
    List<Path> pidFiles = new ArrayList<>();
    for (String name : PID_FILES) pidFiles.add(state.resolve(name));
    try (Stream<Path> nodes = Files.list(state)) {
      nodes.filter(p -> p.getFileName().toString().startsWith("node")).map(p -> p.resolve("pid"))
          .forEach(pidFiles::add);
    }
    for (Path file : pidFiles) {
      if (!Files.isRegularFile(file)) throw new AssertionError("'up' wrote no " + file);
      long pid = Long.parseLong(Files.readAllLines(file, StandardCharsets.UTF_8).get(0).strip());
      ProcessHandle process = ProcessHandle.of(pid)
          .orElseThrow(() -> new AssertionError("no process " + pid + " of " + file + " after 'up'"));
      found.add(process);
      process.descendants().forEach(found::add);
    }
    found.addAll(namingFolder(state));
    return List.copyOf(found);
  }

  /** The running processes whose command line contains {@code folder} (the tests' own JVMs never do). */
  static List<ProcessHandle> namingFolder(Path folder) {
    String name = folder.toString();
    return ProcessHandle.allProcesses().filter(ClusterProcesses::running)
        .filter(p -> p.info().commandLine().map(c -> c.contains(name)).orElse(false)).toList();
  }

  /**
   * True while the process runs. One that exited but is not reaped yet (a zombie, state Z in
   * {@code /proc/PID/stat}) has stopped: its parent is whatever adopts orphans, which may reap late.
   */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) return false;
    return stateLetter(process.pid()).map(state -> state != 'Z' && state != 'X').orElse(false);
  }

  /** A description for assertion messages: pid and command line. */
  static String describe(ProcessHandle process) {
    return process.pid() + " " + process.info().commandLine().orElse("?");
  }

  private static Optional<Character> stateLetter(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      int afterName = stat.lastIndexOf(')'); // the command name in parentheses may hold spaces and ')'
      return afterName < 0 || afterName + 2 >= stat.length() ? Optional.empty()
          : Optional.of(stat.charAt(afterName + 2));
    } catch (IOException gone) {
      return Optional.empty();
    }
  }
}
