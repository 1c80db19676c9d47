package dev.selectftp.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code deploy/cluster.sh up} prints for its user, read back as a user would: the two doors HAProxy
 * listens on, the PostgreSQL URL, S3Proxy's endpoint with its bucket and key, the {@code --storage} prefix of
 * the homes, and the command lines under "Try:".
 */
record ClusterPrintout(int selectFtpPort, int ftpPort, int postgresPort, int s3Port, String s3Key, String s3Secret,
    String bucket, String homesPrefix, List<String> tryLines) {
  private static final Pattern SELECTFTP_DOOR = Pattern.compile(
      "^\\s+SelectFTP door \\(HAProxy\\):\\s+127\\.0\\.0\\.1:(\\d+)$", Pattern.MULTILINE);
  private static final Pattern FTP_DOOR = Pattern.compile(
      "^\\s+FTP door \\(HAProxy\\):\\s+127\\.0\\.0\\.1:(\\d+)$", Pattern.MULTILINE);
  private static final Pattern POSTGRES = Pattern.compile("PostgreSQL:\\s+postgresql://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern S3PROXY = Pattern.compile(
      "S3Proxy:\\s+http://127\\.0\\.0\\.1:(\\d+)\\s+\\(bucket (\\S+), key (\\S+) / (\\S+)\\)");
  private static final Pattern STORAGE = Pattern.compile("--storage s3://([^/\\s]+)/(\\S+)");

  /** Fails with the whole printout when a line a user needs is missing. */
  static ClusterPrintout parse(String out) {
    Matcher s3 = find(S3PROXY, out);
    Matcher storage = find(STORAGE, out);
    if (!storage.group(1).equals(s3.group(2))) {
      throw new AssertionError("the homes' bucket " + storage.group(1) + " is not S3Proxy's " + s3.group(2));
    }
    return new ClusterPrintout(port(SELECTFTP_DOOR, out), port(FTP_DOOR, out), port(POSTGRES, out),
        Integer.parseInt(s3.group(1)), s3.group(3), s3.group(4), s3.group(2), storage.group(2), tryLines(out));
  }

  /** The indented lines between "Try:" and "Stop:", each a shell command line. */
  private static List<String> tryLines(String out) {
    List<String> lines = new ArrayList<>();
    boolean inTry = false;
    for (String line : out.split("\n")) {
      if (line.equals("Try:")) {
        inTry = true;
      } else if (line.equals("Stop:")) {
        inTry = false;
      } else if (inTry && !line.isBlank()) {
        lines.add(line.strip());
      }
    }
    if (lines.isEmpty()) throw new AssertionError("no command lines under 'Try:' in:\n" + out);
    return List.copyOf(lines);
  }

  /** The printed command line naming {@code program} and ending in {@code ending}. */
  String tryLine(String program, String ending) {
    return tryLines.stream().filter(l -> l.contains(program) && l.endsWith(ending)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + program + " ..." + ending + "' under 'Try:': " + tryLines));
  }

  private static int port(Pattern pattern, String out) {
    return Integer.parseInt(find(pattern, out).group(1));
  }

  private static Matcher find(Pattern pattern, String out) {
    Matcher m = pattern.matcher(out);
    if (!m.find()) throw new AssertionError("'up' printed nothing like /" + pattern + "/:\n" + out);
    return m;
  }
}
