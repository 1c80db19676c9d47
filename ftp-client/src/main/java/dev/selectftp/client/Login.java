package dev.selectftp.client;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.ProtocolException;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramKeys;
import java.io.IOException;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration and the SCRAM-SHA-256 login over one {@link Wire} (see {@link FtpClient#register} and
 * {@link FtpClient#login(String, char[], LoginKeys)} for the contracts).
 */
final class Login {
  private static final Logger log = LoggerFactory.getLogger(Login.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Wire wire;

  Login(Wire wire) {
    this.wire = wire;
  }

  /** Derives the keys from a fresh random salt, so the password never leaves this process. */
  void register(Response.Hello hello, String user, char[] password) throws IOException {
    byte[] salt = new byte[ScramCredentials.SALT_BYTES];
    RANDOM.nextBytes(salt);
    int iterations = Math.max(hello.iterations(), ScramCredentials.MIN_ITERATIONS);
    ScramCredentials keys = ScramCredentials.derive(password, salt, iterations);
    wire.call(new Request.Register(user, keys.saltBase64(), iterations, keys.storedKeyBase64(),
        keys.serverKeyBase64()), Response.Ok.class);
    log.info("registered {}", user);
  }

  /** Logs in and returns the user name the server confirmed ({@code user} when it named none). */
  String run(String user, char[] password, LoginKeys keys) throws IOException {
    ScramClient scram = new ScramClient(user, password, wire.channelBinding());
    Response.AuthChallenge challenge =
        wire.call(new Request.AuthStart(scram.clientFirst()), Response.AuthChallenge.class);
    ScramClient.Challenge asked;
    try {
      asked = scram.challenge(challenge.scram());
    } catch (ProtocolException e) {
      throw wire.lost(new IOException("server sent a bad SCRAM challenge: " + e.getMessage(), e));
    }
    ScramKeys cached = keys.find(user, password, asked);
    ScramKeys used = cached != null ? cached : scram.derive(asked);
    Response.AuthOk ok;
    try {
      ok = wire.call(new Request.AuthFinish(scram.clientFinal(asked, used)), Response.AuthOk.class);
    } catch (FtpException e) {
      // A lock-out or a busy server says nothing about the keys; only a refused proof does.
      if (cached != null && e.code() == ErrorCode.AUTH_FAILED) keys.forget(user, asked);
      throw e;
    }
    try {
      scram.verifyServerFinal(ok.scram());
    } catch (ProtocolException e) {
      if (cached != null) keys.forget(user, asked);
      wire.lost(new IOException("server signature check failed", e));
      throw new FtpException(ErrorCode.AUTH_FAILED, "the server could not prove it knows this account");
    }
    if (cached == null) keys.keep(user, password, asked, used);
    String confirmed = ok.user() != null ? ok.user() : user;
    log.info("logged in as {}{}", confirmed, cached != null ? " (cached keys)" : "");
    return confirmed;
  }
}
