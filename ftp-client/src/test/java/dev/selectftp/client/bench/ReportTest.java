package dev.selectftp.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.client.FtpException;
import dev.selectftp.common.ErrorCode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Report.Setup setup() {
    return new Report.Setup("127.0.0.1", 2121, 2, List.of("get"), 1_000_000, "2s", 1, 100);
  }

  private static Tally tally(long firstSampleMillis) {
    Tally t = new Tally();
    for (int i = 1; i <= 10; i++) t.record(Tally.Step.GET, (firstSampleMillis + i) * 1_000_000L);
    t.bytesDown = 10_000_000;
    t.filesDown = 10;
    t.iterations = 10;
    return t;
  }

  @Test
  void mergedTallyGivesRatesPercentilesAndFailures() throws Exception {
    Tally a = tally(0);
    Tally b = tally(10);
    b.fail("get:checksum-mismatch");
    b.fail("get:checksum-mismatch");
    a.fail("login:timeout");
    Tally all = Tally.merge(List.of(a, b));
    Report r = new Report(setup(), all, 2.0, Map.of("heapBeforeBytes", 1), new Report.KeepOpen(100, 100, Map.of(), 1.5,
        10_000_000, 11_600_000, true));
    assertEquals(10.0, r.megabytesPerSecond(), 1e-9); // 20 MB in 2 s
    assertEquals(10.0, r.filesPerSecond(), 1e-9);

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(20, json.at("/latencyMs/get/count").asInt());
    assertEquals(10.0, json.at("/latencyMs/get/p50").asDouble(), 1e-9);
    assertEquals(18.0, json.at("/latencyMs/get/p90").asDouble(), 1e-9);
    assertEquals(20.0, json.at("/latencyMs/get/p99").asDouble(), 1e-9);
    assertEquals(20.0, json.at("/latencyMs/get/max").asDouble(), 1e-9);
    assertTrue(json.at("/latencyMs/login").isMissingNode(), "steps with no samples are left out");
    assertEquals(3, json.at("/failures/total").asInt());
    assertEquals(2, json.at("/failures/byKind/get:checksum-mismatch").asInt());
    assertEquals(16_000, json.at("/keepOpen/heapPerConnectionBytes").asLong());
    assertEquals(10.0, json.at("/throughput/mbPerSec").asDouble(), 1e-9);
    assertEquals(20, json.at("/throughput/filesDownVerified").asInt());

    String human = r.toHuman();
    assertTrue(human.contains("10.0 MB/s, 10.0 files/s"), human);
    assertTrue(human.contains("failures: 3"), human);
    assertTrue(human.contains("16000 bytes per connection"), human);
    assertFalse(human.contains("{\"tool\""), "the JSON line is printed separately");
  }

  @Test
  void zeroSecondsDoesNotDivideByZero() {
    Report r = new Report(setup(), new Tally(), 0, null, null);
    assertEquals(0, r.megabytesPerSecond());
    assertTrue(r.toJson().contains("\"total\":0"));
  }

  @Test
  void failureKindsAreStable() {
    assertEquals("put:quota-exceeded", Tally.kindOf("put", new FtpException(ErrorCode.QUOTA_EXCEEDED, "x")));
    assertEquals("get:timeout", Tally.kindOf("get", new SocketTimeoutException("Read timed out")));
    assertEquals("list:connection-reset", Tally.kindOf("list", new IOException("Connection reset by peer")));
    assertEquals("login:bug-IllegalStateException", Tally.kindOf("login", new IllegalStateException()));
  }
}
