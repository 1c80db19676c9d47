package dev.selectftp.client.console;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.FtpException;
import dev.selectftp.client.LoginKeys;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's connection to the server. When a transfer was aborted (Ctrl-C closes the socket), the next
 * {@link #client()} connects again, logs in with the credentials kept in memory for this session only, and
 * returns to the folder the user was in, so the interruption costs the user nothing but the retyped
 * command. Any other lost connection stays lost (the console reports it and ends).
 */
final class Session implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** Opens a new connection (not logged in). */
  interface Connector {
    FtpClient connect() throws IOException;
  }

  private final Connector connector;
  /** Where logins find and keep the SCRAM keys (the key cache), or {@link LoginKeys#NONE}. */
  private final LoginKeys keys;
  private FtpClient client;
  private String user;
  private char[] password;
  private String cwd = "/";
  private boolean reconnected;

  Session(FtpClient client, Connector connector) {
    this(client, connector, LoginKeys.NONE);
  }

  Session(FtpClient client, Connector connector, LoginKeys keys) {
    this.client = client;
    this.connector = connector;
    this.keys = keys;
  }

  /** The client to use for the next request, reconnected and logged in again after an abort. */
  FtpClient client() throws IOException {
    if (client.aborted() && password != null) reconnect();
    return client;
  }

  /** The current client as it is, without reconnecting. */
  FtpClient current() {
    return client;
  }

  /** True while the next command can run: the connection is open, or was aborted and can be redone. */
  boolean usable() {
    return client.isOpen() || (client.aborted() && password != null);
  }

  /** The logged-in user, or null. */
  String user() {
    return user != null ? user : client.user();
  }

  /** Logs in and keeps the credentials (in memory, for this session only) for a later reconnect. */
  void login(String user, char[] password) throws IOException {
    client().login(user, password, keys);
    forgetPassword();
    this.user = client.user();
    this.password = password.clone();
    this.cwd = "/";
  }

  /**
   * Logs out: says goodbye on this connection and opens a fresh one, not logged in (the protocol has no
   * logout, and a connection logs in once). The kept password is wiped.
   */
  void signOut() throws IOException {
    forgetPassword();
    user = null;
    cwd = "/";
    try {
      if (client.isOpen()) client.quit();
    } catch (IOException e) {
      log.debug("quit before signing out failed", e);
    }
    client.close();
    client = connector.connect();
  }

  void register(String user, char[] password) throws IOException {
    client().register(user, password);
  }

  /** Records the folder the user is in, to return there after a reconnect. */
  void cwd(String path) {
    cwd = path;
  }

  /** True once after a reconnect: the server may not have noticed the old connection closing yet. */
  boolean takeReconnected() {
    boolean was = reconnected;
    reconnected = false;
    return was;
  }

  private void reconnect() throws IOException {
    log.info("reconnecting after an aborted transfer");
    FtpClient fresh = connector.connect();
    try {
      fresh.login(user, password, keys);
    } catch (IOException e) {
      fresh.close();
      throw e;
    }
    client.close();
    client = fresh;
    reconnected = true;
    if (!cwd.equals("/")) {
      try {
        client.cd(cwd);
      } catch (FtpException e) {
        log.info("cannot return to {} after reconnecting: {}", cwd, e.getMessage());
        cwd = "/";
      }
    }
  }

  private void forgetPassword() {
    if (password != null) Arrays.fill(password, '\0');
    password = null;
  }

  @Override
  public void close() {
    forgetPassword();
    client.close();
  }
}
