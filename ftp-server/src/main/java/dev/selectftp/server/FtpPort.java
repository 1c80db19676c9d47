package dev.selectftp.server;

import dev.selectftp.server.core.Checksums;
import dev.selectftp.server.core.Downloads;
import dev.selectftp.server.core.FileOperations;
import dev.selectftp.server.core.Logins;
import dev.selectftp.server.core.PasswordCache;
import dev.selectftp.server.core.Uploads;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.net.ConnectionCaps;
import dev.selectftp.server.net.Listener;
import dev.selectftp.server.net.TlsSupport;
import dev.selectftp.server.protocol.ftp.FtpDoor;
import dev.selectftp.server.protocol.ftp.FtpServices;
import dev.selectftp.server.protocol.ftp.FtpTls;
import dev.selectftp.server.protocol.ftp.PassiveListeners;
import dev.selectftp.server.protocol.selectftp.Services;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The standard FTP door of a server, assembled: its {@link FtpServices} built on what the SelectFTP door's
 * sessions share (accounts and login throttle, homes, quotas, upload locks, hashes, helper pools, transfer
 * log), a pool of its own for PASS checks, its passive listeners and FTPS offer, and its listener on the FTP
 * port, which counts connections against the caps both doors share.
 */
final class FtpPort {
  private final Background passwords;
  private final Listener listener;

  private FtpPort(Background passwords, Listener listener) {
    this.passwords = passwords;
    this.listener = listener;
  }

  /**
   * Builds the door and binds its port; {@link #register} then hands the listener to the loop.
   *
   * @param tls where TLS engines come from; null when the server's TLS is off
   * @throws BindException when the FTP port cannot be bound (the door's pool is closed by then)
   */
  static FtpPort bind(Services shared, ConnectionCaps caps, TlsSupport tls) throws IOException {
    ServerConfig config = shared.config();
    // PASS checks (one PBKDF2 each) get their own pool: never queued behind a commit.
    Background passwords = new Background("ftp-password", Background.THREADS, shared.loop()::post);
    FtpServices ftp = new FtpServices(shared.loop(), passwords, new PasswordCache(System::nanoTime),
        shared.background(), shared.listings(), new Logins(shared.accounts(), shared.throttle()), shared.files(),
        shared.quotas(), shared.store(), new FileOperations(shared.quotas(), shared.uploads(), shared.store()),
        new Uploads(shared.quotas(), shared.uploads(), shared.hashes(), shared.store()),
        new Downloads(shared.hashes(), shared.store()), shared.fileHashes(),
        new Checksums(shared.hashes(), shared.fileHashes(), shared.store()), shared.transfers(),
        new PassiveListeners(config.ftpPassivePorts(), config.ftpPublicAddress(), config.proxyProtocol()),
        tls == null ? FtpTls.off() : new FtpTls(config.tls().offer(), tls));
    Listener listener;
    try {
      listener = new Listener(shared.loop(), new InetSocketAddress(config.bind().getAddress(), config.ftpPort()),
          config.backlog(), caps, new FtpDoor(ftp), tls, config.proxyProtocol());
    } catch (IOException e) {
      passwords.close(0);
      throw new BindException("FTP port " + config.ftpPort() + ": " + e.getMessage());
    }
    return new FtpPort(passwords, listener);
  }

  /** The loop accepts FTP connections from now on. */
  void register() throws IOException {
    listener.register();
  }

  InetSocketAddress localAddress() throws IOException {
    return listener.localAddress();
  }

  /** On the loop: stops accepting FTP connections. */
  void closeListener() {
    listener.close();
  }

  /** Ends the PASS pool without waiting for checks in flight. */
  void closePasswords() {
    passwords.close(0);
  }
}
