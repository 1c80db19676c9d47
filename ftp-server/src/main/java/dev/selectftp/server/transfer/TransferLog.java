package dev.selectftp.server.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per finished or failed transfer, through the {@code selectftp.transfer} logger (routed
 * to {@code logs/transfer.log} and the server log by logback.xml).
 */
public final class TransferLog {
  private static final Logger log = LoggerFactory.getLogger("selectftp.transfer");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one line says. {@code result} is "ok" or the error code. */
  public record Entry(
      String user, String address, String direction, String path, long bytes, long resumedFrom,
      String sha256, boolean verified, double seconds, long quotaBefore, long quotaAfter, String result) {}

  /**
   * The line of an upload that ended with {@code result} ("ok" or the error code); "ok" means its bytes were
   * verified or stored as received.
   *
   * @param usedNow what the user stores now, after the upload settled; -1 if the user is not counted
   */
  public void upload(Upload upload, String address, long usedNow, String result) {
    record(new Entry(upload.user(), address, "upload", upload.virtualPath(), upload.received(), upload.offset(),
        upload.sha256(), "ok".equals(result), upload.seconds(), upload.quotaBefore(), usedNow, result));
  }

  /**
   * The line of a download that ended with {@code result} ("ok" or why not).
   *
   * @param sha256 the whole file's hash once every byte went out, else null (then it is not verified)
   * @param usedNow what the user stores, before and after alike; -1 if the user is not counted
   */
  public void download(String user, String address, Download download, String sha256, long usedNow, String result) {
    record(new Entry(user, address, "download", download.virtualPath(), download.sent(), download.offset(), sha256,
        sha256 != null, download.seconds(), usedNow, usedNow, result));
  }

  /**
   * The line of a transfer refused before any byte moved ({@code quota-exceeded}, {@code busy}, {@code not-found},
   * ...): nothing was read or written, so bytes and seconds are 0 and the quota is the same before and after.
   *
   * @param direction "upload" or "download"
   * @param path the absolute virtual path, or what the client sent when it does not resolve
   * @param usedNow what the user stores; -1 if the user is not counted
   * @param result the error code the client got
   */
  public void refused(String user, String address, String direction, String path, long usedNow, String result) {
    record(new Entry(user, address, direction, path, 0, 0, null, false, 0, usedNow, usedNow, result));
  }

  public void record(Entry e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("user", e.user());
    line.put("address", e.address());
    line.put("direction", e.direction());
    line.put("path", e.path());
    line.put("bytes", e.bytes());
    line.put("resumedFrom", e.resumedFrom());
    line.put("sha256", e.sha256());
    line.put("verified", e.verified());
    line.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
    line.put("quotaBefore", e.quotaBefore());
    line.put("quotaAfter", e.quotaAfter());
    line.put("result", e.result());
    try {
      log.info(JSON.writeValueAsString(line));
    } catch (JsonProcessingException ex) {
      log.warn("transfer log line could not be written: {}", ex.toString());
    }
  }
}
