package dev.selectftp.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bench against the real server in this JVM: 4 clients for about a second, every op in the mix. */
class BenchIntegrationTest {
  @Test
  @Timeout(120)
  void fourClientsForASecondAllVerifiedWithJsonLastLine(@TempDir Path data, @TempDir Path local) throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(data))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = Bench.run(new String[] {"-P", String.valueOf(server.port()), "--clients", "4", "--duration", "1s",
          "--ops", "login,list,put,get", "--size", "64KiB", "--keep-open", "20", "--register", "2", "-u", "bench",
          "--local-dir", local.toString(), "--stats-every", "200ms"},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      String text = out.toString(StandardCharsets.UTF_8);
      String[] lines = text.strip().split("\n");
      assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));

      JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
      assertEquals(0, json.at("/failures/total").asInt(), text);
      assertEquals(4, json.at("/clients").asInt());
      assertTrue(json.at("/throughput/filesDownVerified").asLong() > 0, text);
      assertTrue(json.at("/throughput/filesUpVerified").asLong() > 0, text);
      assertEquals(json.at("/throughput/filesDownVerified").asLong(), json.at("/latencyMs/get/count").asLong());
      assertTrue(json.at("/latencyMs/getFirstByte/count").asLong() > 0, text);
      assertTrue(json.at("/latencyMs/session/p50").asDouble() > 0, text);
      assertEquals(20, json.at("/keepOpen/opened").asInt(), text);
      assertTrue(json.at("/serverStats/loop/windows").asInt() >= 1, text);
      assertTrue(text.contains("latency (ms)"), text);
      String warnings = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, warnings.lines().filter(l -> l.contains("offers no TLS")).count(),
          "one warning for the plain server, not one per connection: " + warnings);
    }
  }

  @Test
  @Timeout(120)
  void warmupPassesRunButAreNotCounted(@TempDir Path data, @TempDir Path local) throws Exception {
    try (FtpServer server = FtpServer.start(ServerConfig.forTests(data))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = Bench.run(new String[] {"-P", String.valueOf(server.port()), "--clients", "2", "--ops", "get",
          "--size", "16KiB", "--warmup", "6", "--requests", "4", "--local-dir", local.toString(), "--no-tls"},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals("", err.toString(StandardCharsets.UTF_8), "--no-tls: no warning about the plain server");
      String text = out.toString(StandardCharsets.UTF_8);
      String[] lines = text.strip().split("\n");
      assertEquals(0, status, text);
      JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
      assertEquals(4, json.at("/throughput/filesDownVerified").asLong(), text);
      assertEquals(4, json.at("/latencyMs/get/count").asLong(), text);
    }
  }
}
