package dev.selectftp.client.console;

import dev.selectftp.common.Response;
import java.io.IOException;
import java.time.ZoneId;

/**
 * The commands that move no file contents: {@code ls}, {@code cd}, {@code pwd}, {@code mkdir}, {@code rm},
 * {@code mv}, {@code quota} and {@code stats}, each one request and one or a few printed lines.
 */
final class RemoteFolder {
  private final Session session;
  private final Terminal terminal;
  private final ListingFormat listing = new ListingFormat(ZoneId.systemDefault());

  RemoteFolder(Session session, Terminal terminal) {
    this.session = session;
    this.terminal = terminal;
  }

  void ls(String pathOrNull) throws IOException {
    for (String line : listing.lines(session.client().list(pathOrNull))) terminal.println(line);
  }

  void cd(String path) throws IOException {
    String now = session.client().cd(path);
    session.cwd(now);
    terminal.println(now);
  }

  void pwd() throws IOException {
    terminal.println(session.client().pwd());
  }

  void mkdir(String path) throws IOException {
    session.client().mkdir(path);
    terminal.println("made folder " + path);
  }

  void rm(String path) throws IOException {
    session.client().delete(path);
    terminal.println("deleted " + path);
  }

  void mv(String from, String to) throws IOException {
    session.client().rename(from, to);
    terminal.println("renamed " + from + " to " + to);
  }

  void quota() throws IOException {
    Response.QuotaInfo quota = session.client().quota();
    long percent = quota.limit() == 0 ? 100 : quota.used() * 100 / quota.limit();
    terminal.println(HumanSize.bytes(quota.used()) + " of " + HumanSize.bytes(quota.limit()) + " used ("
        + percent + "%), " + HumanSize.bytes(Math.max(0, quota.limit() - quota.used())) + " free");
  }

  void stats() throws IOException {
    Response.ServerStats s = session.client().stats();
    terminal.println("connections " + s.connections() + ", loop passes " + s.loopPasses() + ", longest pass "
        + s.maxPassMicros() + " us, p99 pass " + s.p99PassMicros() + " us, heap "
        + HumanSize.bytes(s.heapUsedBytes()));
  }
}
