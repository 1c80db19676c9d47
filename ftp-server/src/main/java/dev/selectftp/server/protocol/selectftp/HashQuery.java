package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.core.Checksums;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;

/**
 * The {@code hash} request: a file's whole SHA-256. A hash the server already knows (an upload's, or one
 * computed for a download or an earlier request, while the file is unchanged) is answered at once;
 * otherwise the file is hashed on a helper thread (one job per file however many sessions ask, the same
 * path as the FTP door's HASH) while this session's input waits and the loop serves everyone else. The
 * result is remembered, so the next request for the unchanged file costs nothing.
 */
final class HashQuery {
  private final Session session;
  private final Services services;
  private final Peer peer;
  private final Checksums checksums;
  private final StoreWaits waits;

  HashQuery(Session session, Services services, Peer peer, StoreWaits waits) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    this.waits = waits;
    this.checksums = new Checksums(services.hashes(), services.fileHashes(), services.store());
  }

  /** Refuses BAD_PATH, NOT_FOUND, IS_A_DIRECTORY (a folder), FORBIDDEN (a link), once the file is looked at. */
  SessionState hash(Ready ready, Request.Hash request) {
    Login login = ready.login();
    return waits.<Checksums.Target>await(ready,
        done -> checksums.locate(login.home(), login.cwd(), request.path(), done),
        (target, failure) -> {
          if (failure != null) StoreWaits.rethrow(failure, peer.address(), "hashing");
          return located(ready, target);
        });
  }

  private SessionState located(Ready ready, Checksums.Target target) {
    Login login = ready.login();
    if (target.knownSha256() != null) {
      peer.send(answer(target, target.knownSha256()));
      return ready;
    }
    SessionState.Hashing hashing = new SessionState.Hashing(login);
    // Entered before the work is handed over: a refused hand-over (shutdown) answers at once, inside compute().
    session.moveTo(hashing);
    peer.pauseInput();
    checksums.compute(login.home(), target, (sha256, failure) -> {
      if (session.current() != hashing) return; // closed meanwhile
      peer.send(failure != null ? Failures.toError(failure, peer.address(), "hashing")
          : answer(target, sha256));
      session.moveTo(ready);
      peer.resumeInput();
    });
    return session.current();
  }

  private static Response.Hash answer(Checksums.Target target, String sha256) {
    return new Response.Hash(Response.OK, "sha256 of " + target.virtualPath(), target.virtualPath(),
        target.size(), sha256);
  }
}
