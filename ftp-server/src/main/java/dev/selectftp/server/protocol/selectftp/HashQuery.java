package dev.selectftp.server.protocol.selectftp;

import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.server.core.Checksums;
import dev.selectftp.server.core.Login;
import dev.selectftp.server.protocol.selectftp.SessionState.Ready;
import dev.selectftp.server.refusal.Refused;

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

  HashQuery(Session session, Services services, Peer peer) {
    this.session = session;
    this.services = services;
    this.peer = peer;
    this.checksums = new Checksums(services.hashes(), services.fileHashes());
  }

  /** @throws Refused BAD_PATH, NOT_FOUND, IS_A_DIRECTORY (a folder), FORBIDDEN (a link) */
  SessionState hash(Ready ready, Request.Hash request) throws Refused {
    Login login = ready.login();
    Checksums.Target target = checksums.locate(login.home(), login.cwd(), request.path());
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
      peer.send(failure != null ? Failures.toError(failure, services.files(), peer.address(), "hashing")
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
