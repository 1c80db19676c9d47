package dev.selectftp.server.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.server.testing.ServerNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Which node served a transfer: the transfer-log lines (one JSON object per transfer) each node wrote. Under
 * the tests' logback-test.xml a node writes every logger, the transfer log's too, to {@code logs/test.log} in its
 * data folder, through an asynchronous appender, so a line is waited for.
 */
final class TransferLines {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARK = " transfer - ";
  private static final long WAIT_SECONDS = 10;

  /** One line and the node (index in the cluster's list) whose log holds it. */
  record Served(int node, JsonNode line) {
    long resumedFrom() {
      return line.get("resumedFrom").asLong();
    }

    String sha256() {
      return line.get("sha256").asText();
    }

    String result() {
      return line.get("result").asText();
    }
  }

  private TransferLines() {}

  /** The first line of {@code user}'s {@code direction} of {@code path} that {@code also} accepts, on any node. */
  static Served await(List<ServerNodes.Node> nodes, String user, String direction, String path,
      Predicate<JsonNode> also) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      for (int i = 0; i < nodes.size(); i++) {
        Path log = nodes.get(i).data().resolve("logs/test.log");
        if (!Files.exists(log)) continue;
        for (String text : Files.readAllLines(log)) {
          int at = text.indexOf(MARK);
          if (at < 0) continue;
          JsonNode line = JSON.readTree(text.substring(at + MARK.length()));
          if (user.equals(line.get("user").asText()) && direction.equals(line.get("direction").asText())
              && path.equals(line.get("path").asText()) && also.test(line)) {
            return new Served(i, line);
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no transfer-log line for " + user + "'s " + direction + " of " + path);
      }
      Thread.sleep(50);
    }
  }

  /** The line of {@code user}'s finished ({@code "result":"ok"}) {@code direction} of {@code path}. */
  static Served awaitOk(List<ServerNodes.Node> nodes, String user, String direction, String path) throws Exception {
    return await(nodes, user, direction, path, line -> "ok".equals(line.get("result").asText()));
  }
}
