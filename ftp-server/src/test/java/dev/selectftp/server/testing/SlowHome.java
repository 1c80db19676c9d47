package dev.selectftp.server.testing;

import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.FileInfo;
import dev.selectftp.server.storage.HomeStore;
import dev.selectftp.server.storage.Listing;
import dev.selectftp.server.storage.PageSize;
import dev.selectftp.server.storage.PartialGuard;
import dev.selectftp.server.storage.Tally;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One home of a {@link SlowStore}: every call is noted and, unless pure, answered the store's latency late;
 * the work itself is the real home's. The channels handed out are the real ones: the per-slice reads and
 * writes on them stay the loop's (on S3, node-local spool files).
 */
final class SlowHome implements HomeStore {
  private final HomeStore home;
  private final SlowStore store;

  SlowHome(HomeStore home, SlowStore store) {
    this.home = home;
    this.store = store;
  }

  @Override
  public Path toReal(String virtualPath) throws Refused {
    store.call("toReal");
    return home.toReal(virtualPath);
  }

  @Override
  public FileInfo stat(String virtualPath) throws Refused {
    store.call("stat");
    return home.stat(virtualPath);
  }

  @Override
  public FileInfo statReal(Path real) throws Refused {
    store.call("statReal");
    return home.statReal(real);
  }

  @Override
  public Listing list(String cwd, String path, String after, PageSize size) throws Refused {
    store.call("list");
    return home.list(cwd, path, after, size);
  }

  @Override
  public String changeDir(String cwd, String path) throws Refused {
    store.call("changeDir");
    return home.changeDir(cwd, path);
  }

  @Override
  public void makeDir(String cwd, String path) throws Refused {
    store.call("makeDir");
    home.makeDir(cwd, path);
  }

  @Override
  public long delete(String cwd, String path) throws Refused {
    store.call("delete");
    return home.delete(cwd, path);
  }

  @Override
  public void rename(String cwd, String from, String to) throws Refused {
    store.call("rename");
    home.rename(cwd, from, to);
  }

  @Override
  public FileChannel openRead(Path real) throws Refused {
    store.call("openRead");
    return home.openRead(real);
  }

  @Override
  public FileChannel openWrite(Path real, boolean truncate) throws Refused {
    store.call("openWrite");
    return home.openWrite(real, truncate);
  }

  @Override
  public Path partialFor(Path real) {
    store.call("partialFor");
    return home.partialFor(real);
  }

  @Override
  public boolean partialFits(Path partial) {
    store.call("partialFits");
    return home.partialFits(partial);
  }

  @Override
  public void publishPartial(Path partial, Path real) throws Refused {
    store.call("publishPartial");
    home.publishPartial(partial, real);
  }

  @Override
  public long deletePartial(Path partial) throws Refused {
    store.call("deletePartial");
    return home.deletePartial(partial);
  }

  @Override
  public Tally tally() throws IOException {
    store.call("tally");
    return home.tally();
  }

  @Override
  public Tally deleteStalePartials(Duration maxAge, Instant now, PartialGuard guard) throws IOException {
    store.call("deleteStalePartials");
    return home.deleteStalePartials(maxAge, now, guard);
  }
}
