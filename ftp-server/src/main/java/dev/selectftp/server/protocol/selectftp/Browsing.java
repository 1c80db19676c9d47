package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.server.core.Login;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.Sizes;
import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.quota.Quotas;
import dev.selectftp.server.protocol.selectftp.Peer;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.storage.Entry;
import dev.selectftp.server.storage.Listing;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SelectFTP side of the commands that move no file contents (list, cd, pwd, mkdir, delete, rename,
 * quota, and hash through {@link HashQuery}): each request becomes one call of the core's
 * {@link FileOperations}, its result a frame and its refusal an error frame. The rules live in the core; store
 * calls run off the loop while the session waits ({@link StoreWaits}).
 */
final class Browsing {
  private static final Logger log = LoggerFactory.getLogger(Browsing.class);

  private final Session session;
  private final Services services;
  private final Peer peer;
  private final FileOperations files;
  private final HashQuery hashes;
  private final StoreWaits waits;

  Browsing(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    this.files = new FileOperations(services.quotas(), services.uploads(), services.store());
    this.waits = new StoreWaits(session, peer);
    this.hashes = new HashQuery(session, services, peer, waits);
  }

  SessionState handle(Ready ready, Request request) throws ProtocolException {
    try {
      return handleOrRefuse(ready, request);
    } catch (Refused refused) {
      throw Failures.toProtocol(refused);
    }
  }

  private SessionState handleOrRefuse(Ready ready, Request request) throws ProtocolException, Refused {
    Login login = ready.login();
    String cwd = login.cwd();
    if (request instanceof Request.List list) return list(ready, list);
    if (request instanceof Request.Hash hash) return hashes.hash(ready, hash);
    if (request instanceof Request.ChangeDir cd) {
      return waits.<String>await(ready, done -> files.changeDir(login.home(), cwd, cd.path(), done),
          (next, failure) -> {
            if (failure != null) StoreWaits.rethrow(failure, peer.address(), "cd");
            peer.send(new Response.Cwd(Response.OK, next, next));
            return new Ready(login.withCwd(next));
          });
    }
    if (request instanceof Request.PrintDir) {
      peer.send(new Response.Cwd(Response.OK, cwd, cwd));
      return ready;
    }
    if (request instanceof Request.MakeDir mkdir) {
      return waits.<String>await(ready, done -> files.makeDir(login.user(), login.home(), cwd, mkdir.path(), done),
          (made, failure) -> {
            if (failure != null) StoreWaits.rethrow(failure, peer.address(), "mkdir");
            log.info("{}: {} mkdir {}", peer.address(), login.user(), LogText.of(made));
            peer.send(new Response.Ok(Response.CREATED, "created " + made));
            return ready;
          });
    }
    if (request instanceof Request.Delete delete) {
      return waits.<String>await(ready,
          done -> files.delete(login.user(), login.home(), cwd, delete.path(), FileOperations.Kind.ANY, done),
          (target, failure) -> {
            if (failure != null) StoreWaits.rethrow(failure, peer.address(), "delete");
            log.info("{}: {} deleted {}", peer.address(), login.user(), LogText.of(target));
            peer.send(new Response.Ok(Response.OK, "deleted " + target));
            return ready;
          });
    }
    if (request instanceof Request.Rename rename) {
      return waits.<FileOperations.Renamed>await(ready,
          done -> files.rename(login.user(), login.home(), cwd, rename.from(), rename.to(), done),
          (names, failure) -> {
            if (failure != null) StoreWaits.rethrow(failure, peer.address(), "rename");
            log.info("{}: {} renamed {} to {}", peer.address(), login.user(), LogText.of(names.from()),
                LogText.of(names.to()));
            peer.send(new Response.Ok(Response.OK, "renamed " + names.from() + " to " + names.to()));
            return ready;
          });
    }
    if (request instanceof Request.QuotaQuery) {
      Quotas.Usage usage = files.quota(login.user());
      String message = Sizes.format(usage.used()) + " of " + Sizes.format(usage.limit()) + " used; "
          + usage.entries() + " of " + usage.maxEntries() + " files and folders";
      peer.send(new Response.QuotaInfo(Response.OK, message, usage.used(), usage.limit()));
      return ready;
    }
    throw new ProtocolException(ErrorCode.WRONG_STATE, "not expected now: " + request.getClass().getSimpleName());
  }

  /**
   * Reads one page on a helper thread while this session's input waits, so the loop does O(1) work per
   * request however big the folder, and a client pipelining listings has at most one page in flight.
   */
  private SessionState list(Ready ready, Request.List list) throws Refused {
    Login login = ready.login();
    String cwd = login.cwd();
    String target = files.listTarget(cwd, list.path());
    SessionState.Listing listing = new SessionState.Listing(login);
    // Entered before the work is handed over: a refused hand-over (shutdown) answers at once, inside run().
    session.moveTo(listing);
    peer.pauseInput();
    services.listings().run(() -> files.listPage(login.home(), cwd, target, list.after(), ListingFrames.PAGE), (page, failure) -> {
      if (session.current() != listing) return; // closed meanwhile
      if (failure != null) {
        peer.send(Failures.toError(failure, peer.address(), "listing"));
      } else {
        String message = page.entries().size() + " entries" + (page.complete() ? "" : ", more follow");
        peer.send(new Response.Listing(Response.OK, message, target, entries(page), page.next()));
      }
      session.moveTo(ready);
      peer.resumeInput();
    });
    return session.current();
  }

  /** Storage's entries as the wire carries them: times in ISO-8601 UTC, to the second. */
  private static List<Response.Entry> entries(Listing page) {
    List<Response.Entry> out = new ArrayList<>(page.entries().size());
    for (Entry e : page.entries()) {
      String modified = Instant.ofEpochMilli(e.modifiedMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
      out.add(new Response.Entry(e.name(), e.dir(), e.size(), modified));
    }
    return out;
  }
}
