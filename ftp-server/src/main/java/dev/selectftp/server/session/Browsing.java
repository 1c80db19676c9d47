package dev.selectftp.server.session;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.LogText;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.files.CountedHome;
import dev.selectftp.server.files.Quotas;
import dev.selectftp.common.Sizes;
import dev.selectftp.server.files.VirtualPath;
import dev.selectftp.server.protocol.selectftp.Peer;
import dev.selectftp.server.session.SessionState.Ready;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The commands of a logged-in session that touch no file contents: list, cd, pwd, mkdir, delete, rename, quota. */
final class Browsing {
  private static final Logger log = LoggerFactory.getLogger(Browsing.class);

  private final Session session;
  private final Services services;
  private final Peer peer;

  Browsing(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
  }

  SessionState handle(Ready ready, Request request) throws ProtocolException, IOException {
    Login login = ready.login();
    String cwd = login.cwd();
    if (request instanceof Request.List list) return list(ready, list);
    if (request instanceof Request.ChangeDir cd) {
      String next = login.home().changeDir(cwd, cd.path());
      peer.send(new Response.Cwd(Response.OK, next, next));
      return new Ready(login.withCwd(next));
    }
    if (request instanceof Request.PrintDir) {
      peer.send(new Response.Cwd(Response.OK, cwd, cwd));
      return ready;
    }
    if (request instanceof Request.MakeDir mkdir) {
      counted(login).makeDir(cwd, mkdir.path());
      String made = VirtualPath.resolve(cwd, mkdir.path());
      log.info("{}: {} mkdir {}", peer.address(), login.user(), LogText.of(made));
      peer.send(new Response.Ok(Response.CREATED, "created " + made));
      return ready;
    }
    if (request instanceof Request.Delete delete) {
      String target = VirtualPath.resolve(cwd, delete.path());
      refuseWhileUploading(login, target);
      counted(login).delete(cwd, delete.path());
      log.info("{}: {} deleted {}", peer.address(), login.user(), LogText.of(target));
      peer.send(new Response.Ok(Response.OK, "deleted " + target));
      return ready;
    }
    if (request instanceof Request.Rename rename) {
      refuseWhileUploading(login, VirtualPath.resolve(cwd, rename.from()));
      refuseWhileUploading(login, VirtualPath.resolve(cwd, rename.to()));
      counted(login).rename(cwd, rename.from(), rename.to());
      String from = VirtualPath.resolve(cwd, rename.from());
      String to = VirtualPath.resolve(cwd, rename.to());
      log.info("{}: {} renamed {} to {}", peer.address(), login.user(), LogText.of(from), LogText.of(to));
      peer.send(new Response.Ok(Response.OK, "renamed " + from + " to " + to));
      return ready;
    }
    if (request instanceof Request.QuotaQuery) {
      Quotas.Usage usage = services.quotas().usage(login.user());
      String message = Sizes.format(usage.used()) + " of " + Sizes.format(usage.limit()) + " used; "
          + usage.entries() + " of " + usage.maxEntries() + " files and folders";
      peer.send(new Response.QuotaInfo(Response.OK, message, usage.used(), usage.limit()));
      return ready;
    }
    throw new ProtocolException(ErrorCode.WRONG_STATE, "not expected now: " + typeOf(request));
  }

  private CountedHome counted(Login login) {
    return new CountedHome(login.home(), services.quotas(), login.user());
  }

  /**
   * Reads one page on a helper thread while this session's input waits, so the loop does O(1) work per
   * request however big the folder, and a client pipelining listings has at most one page in flight.
   */
  private SessionState list(Ready ready, Request.List list) throws ProtocolException {
    Login login = ready.login();
    String cwd = login.cwd();
    String target = VirtualPath.resolve(cwd, list.path() == null ? "." : list.path());
    SessionState.Listing listing = new SessionState.Listing(login);
    // Entered before the work is handed over: a refused hand-over (shutdown) answers at once, inside run().
    session.moveTo(listing);
    peer.pauseInput();
    services.listings().run(() -> login.home().list(cwd, target, list.after()), (page, failure) -> {
      if (session.current() != listing) return; // closed meanwhile
      if (failure != null) {
        peer.send(errorFor(failure));
      } else {
        String message = page.entries().size() + " entries" + (page.complete() ? "" : ", more follow");
        peer.send(new Response.Listing(Response.OK, message, target, page.entries(), page.next()));
      }
      session.moveTo(ready);
      peer.resumeInput();
    });
    return session.current();
  }

  private Response.Error errorFor(Exception failure) {
    if (failure instanceof ProtocolException refusal) return Response.Error.of(refusal.code(), refusal.getMessage());
    if (failure instanceof IOException io) return Failures.toError(io, services.config().dataDir(), peer.address());
    if (failure instanceof java.util.concurrent.RejectedExecutionException) {
      return Response.Error.of(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
    }
    log.error("{}: listing failed unexpectedly", peer.address(), failure);
    return Response.Error.of(ErrorCode.INTERNAL, "server error; see the server log");
  }

  /**
   * A name (or a folder holding a name) that another session is uploading to may not be deleted or renamed
   * until that upload ends: its commit renames the partial over the name on a helper thread, and a delete or
   * rename racing that rename would leave the quota counting bytes that are gone (or missing bytes that are
   * there).
   */
  private void refuseWhileUploading(Login login, String virtualPath) throws ProtocolException {
    if (services.uploads().isLockedAtOrUnder(login.home().toReal(virtualPath))) {
      throw new ProtocolException(ErrorCode.BUSY, virtualPath + " is being uploaded by a session right now");
    }
  }

  private static String typeOf(Request request) {
    return request.getClass().getSimpleName();
  }
}
