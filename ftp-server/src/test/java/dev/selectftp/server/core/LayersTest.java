package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout of docs/DECISIONS.md, held against the sources: each room below the doors imports only the
 * rooms below it, and no wire type (a SelectFTP frame, its error codes) reaches below the doors, so a second
 * door can reuse every rule. Reads the import lines of {@code src/main/java}.
 */
class LayersTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/selectftp/server");
  private static final Pattern SERVER_IMPORT = Pattern.compile("^import dev\\.selectftp\\.server\\.([a-z]+)\\.");
  private static final Pattern WIRE_IMPORT = Pattern.compile(
      "^import dev\\.selectftp\\.common\\.(Request|Response|ErrorCode|ProtocolException|MessageCodec|Frames)\\b");

  /** Each room below the doors, and the rooms it may import. */
  private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
      Map.entry("loop", Set.of()),
      Map.entry("tls", Set.of()),
      // net/ moves bytes for any door: it knows the loop, TLS engines and where a stored file's bytes go.
      Map.entry("net", Set.of("loop", "tls", "storage")),
      Map.entry("refusal", Set.of()),
      Map.entry("storage", Set.of("refusal")),
      // Homes on S3: the same virtual path rules and types as the local store, never the local store itself.
      Map.entry("storage/s3", Set.of("storage", "refusal")),
      Map.entry("files", Set.of("storage", "refusal")),
      Map.entry("quota", Set.of("storage", "refusal")),
      Map.entry("accounts", Set.of("storage", "refusal", "loop")),
      // A repository beside users.json: it shares accounts' rules (names, fabricated credentials, retired homes).
      Map.entry("accounts/postgres", Set.of("accounts", "storage", "refusal")),
      Map.entry("transfer", Set.of("quota", "storage", "refusal", "loop")),
      // The core hands store calls to helper threads (StoreCalls) and describes blocking steps with loop.Offload.
      Map.entry("core", Set.of("transfer", "quota", "accounts", "storage", "refusal", "loop")));

  @Test
  void eachRoomBelowTheDoorsImportsOnlyTheRoomsBelowIt() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<String>> room : MAY_IMPORT.entrySet()) {
      for (Path file : javaFiles(room.getKey())) {
        for (String line : Files.readAllLines(file)) {
          Matcher m = SERVER_IMPORT.matcher(line);
          if (m.find() && !m.group(1).equals(room.getKey()) && !room.getValue().contains(m.group(1))) {
            wrong.add(SOURCES.relativize(file) + " imports " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void noWireTypeReachesBelowTheDoors() throws IOException {
    Set<String> found = new TreeSet<>();
    for (String room : MAY_IMPORT.keySet()) {
      for (Path file : javaFiles(room)) {
        for (String line : Files.readAllLines(file)) {
          Matcher m = WIRE_IMPORT.matcher(line);
          if (m.find()) found.add(SOURCES.relativize(file) + ": " + m.group(1));
        }
      }
    }
    assertEquals(Set.of(), found);
  }

  private static List<Path> javaFiles(String room) throws IOException {
    Path dir = SOURCES.resolve(room);
    assertTrue(Files.isDirectory(dir), "no room " + dir.toAbsolutePath());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
