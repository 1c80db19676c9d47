package dev.selectftp.client;

import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import java.io.Closeable;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking SelectFTP client over one TCP connection, speaking {@code docs/PROTOCOL.md}.
 *
 * <p>Every method sends one request and waits for its reply. A server refusal throws {@link FtpException}
 * and leaves the connection usable; any other {@link IOException} means the connection is lost, and every
 * later call fails with "connection lost". Not thread-safe: use one client per thread.
 *
 * <p>This class is the library's one door; the work is done by role behind it: {@link Connector} (connect,
 * hello, TLS upgrade), {@link Login} (register, SCRAM login), {@link Listings} (browsing), {@link Upload}
 * and {@link Download} (verified transfers), all over one {@link Wire}.
 */
public final class FtpClient implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(FtpClient.class);
  /** Most pages one listing may take (why so many: {@link Listings#MAX_PAGES}). */
  public static final int MAX_LIST_PAGES = Listings.MAX_PAGES;

  private final Wire wire;
  private final Response.Hello hello;
  private String user;

  private FtpClient(Wire wire, Response.Hello hello) {
    this.wire = wire;
    this.hello = hello;
  }

  /**
   * Connects and reads the server's {@code hello}, upgrading to TLS when the server offers it, with the
   * system trust store and the known-servers file in the user's home ({@link ClientTls#withDefaults}).
   *
   * @param timeout bounds the connect and every later wait for a reply (0 waits forever)
   */
  public static FtpClient connect(String host, int port, Duration timeout) throws IOException {
    return connect(host, port, timeout, Connector.defaultTls());
  }

  /**
   * Connects and reads the server's {@code hello}. When the server offers TLS ({@code optional} or
   * {@code required}) and {@code tls} is enabled, upgrades the connection ({@code start-tls}, then the
   * handshake; see {@code docs/PROTOCOL.md}) before anything else is said, and later logins bind to the
   * TLS channel. A server without TLS is used in plain text after one notice through {@code tls}; with TLS
   * off ({@link ClientTls#off()}) nothing is upgraded and a {@code required} server answers the first
   * request with {@code tls-required}.
   *
   * @param timeout bounds the connect, the TLS handshake and every later wait for a reply (0 waits forever)
   * @throws UnknownHostException naming {@code host} when it does not resolve
   * @throws IllegalArgumentException when {@code port} is outside 0-65535
   * @throws javax.net.ssl.SSLException with one line saying why, when the server's certificate is refused or
   *     the handshake fails
   */
  public static FtpClient connect(String host, int port, Duration timeout, ClientTls tls) throws IOException {
    Connector.Opened opened = Connector.open(host, port, timeout, tls);
    return new FtpClient(opened.wire(), opened.hello());
  }

  /** True when the connection runs over TLS. */
  public boolean secure() {
    return wire.channelBinding() != null;
  }

  /** The greeting the server sent on connect. */
  public Response.Hello hello() {
    return hello;
  }

  /** The logged-in user, or null before {@link #login}. */
  public String user() {
    return user;
  }

  /** True until {@link #close()} or a lost connection. */
  public boolean isOpen() {
    return wire.usable();
  }

  /**
   * Creates an account. The keys are derived here from a fresh random salt, so the password never leaves
   * this process; costs one PBKDF2 run. Does not log in.
   */
  public void register(String user, char[] password) throws IOException {
    new Login(wire).register(hello, user, password);
  }

  /**
   * Logs in with SCRAM-SHA-256 and checks the server's signature, so a server that does not hold this
   * user's keys is detected (that closes the connection). Over TLS the login is SCRAM-SHA-256-PLUS, bound
   * to the certificate this client received, so a relay that showed another certificate fails it.
   */
  public void login(String user, char[] password) throws IOException {
    login(user, password, LoginKeys.NONE);
  }

  /**
   * Logs in as {@link #login(String, char[])} does, taking the SCRAM keys from {@code keys} when it holds
   * them for this password, salt and iteration count (no PBKDF2 run), and handing keys it had to derive
   * back to it once the server accepted them. Keys from {@code keys} that the server refuses are forgotten
   * there; the refusal is thrown as any wrong password's.
   */
  public void login(String user, char[] password, LoginKeys keys) throws IOException {
    this.user = new Login(wire).run(user, password, keys);
  }

  /**
   * Lists {@code pathOrNull}, or the current folder when null, whole: follows the server's pages (see
   * {@link #listPages}) and returns their entries in the server's order, by name (folders among files).
   */
  public List<Response.Entry> list(String pathOrNull) throws IOException {
    return new Listings(wire).all(pathOrNull);
  }

  /**
   * Asks for the pages of a listing one after another, handing each to {@code visitor} until the server
   * says the listing is complete or the visitor returns false. The first page is asked for by
   * {@code pathOrNull}, later ones by the absolute path the server echoed, each with the previous page's
   * cursor. A server that keeps sending pages past {@link #MAX_LIST_PAGES}, or repeats a cursor, is not
   * followed forever: the connection is dropped as lost.
   */
  public void listPages(String pathOrNull, Predicate<Response.Listing> visitor) throws IOException {
    new Listings(wire).pages(pathOrNull, visitor);
  }

  /** Changes the current folder and returns the new one (absolute within the home). */
  public String cd(String path) throws IOException {
    return wire.call(new Request.ChangeDir(path), Response.Cwd.class).path();
  }

  /** The current folder, {@code /} being the home. */
  public String pwd() throws IOException {
    return wire.call(new Request.PrintDir(), Response.Cwd.class).path();
  }

  public void mkdir(String path) throws IOException {
    wire.call(new Request.MakeDir(path), Response.Ok.class);
  }

  /** Deletes a file or an empty folder. */
  public void delete(String path) throws IOException {
    wire.call(new Request.Delete(path), Response.Ok.class);
  }

  /** Renames or moves; the target must not exist. */
  public void rename(String from, String to) throws IOException {
    wire.call(new Request.Rename(from, to), Response.Ok.class);
  }

  public Response.QuotaInfo quota() throws IOException {
    return wire.call(new Request.QuotaQuery(), Response.QuotaInfo.class);
  }

  /**
   * The SHA-256 of a whole remote file, with its absolute path and size. The server answers from its cache
   * when it knows the hash (the file's upload, an earlier download or hash, while the file is unchanged);
   * otherwise it reads the whole file first, off its event loop, so a big file's first hash takes as long
   * as reading it there (the reply timeout applies).
   *
   * @throws FtpException NOT_FOUND, IS_A_DIRECTORY for a folder, BAD_PATH, FORBIDDEN
   */
  public Response.Hash hash(String path) throws IOException {
    return wire.call(new Request.Hash(path), Response.Hash.class);
  }

  /** The server's event-loop figures; needs no login. */
  public Response.ServerStats stats() throws IOException {
    return wire.call(new Request.Stats(), Response.ServerStats.class);
  }

  /** Says goodbye and closes; the connection is unusable afterwards. */
  public void quit() throws IOException {
    try {
      wire.call(new Request.Quit(), Response.Bye.class);
    } finally {
      close();
    }
  }

  /**
   * Uploads {@code local} to {@code remotePath}, resuming when the server holds a matching prefix from an
   * earlier attempt. Returns once the server has verified the SHA-256 and stored the file.
   *
   * @throws FtpException for refusals (quota-exceeded, busy, checksum-mismatch, ...); the connection stays
   *     usable
   * @throws IOException for local or network failures; the connection is then lost
   */
  public PutResult put(Path local, String remotePath, TransferListener listener) throws IOException {
    return put(local, remotePath, PutMode.RESUME, listener);
  }

  /**
   * Uploads like {@link #put(Path, String, TransferListener)}; {@code mode} says whether a partial the server
   * kept from an interrupted upload of this name may be continued ({@link PutMode#RESUME}) or must be
   * discarded and the file sent from byte 0 ({@link PutMode#RESTART}).
   *
   * @throws TransferCancelledException when {@link #abort()} stopped it; the server keeps its partial
   */
  public PutResult put(Path local, String remotePath, PutMode mode, TransferListener listener)
      throws IOException {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(listener, "listener (use TransferListener.NONE)");
    try {
      return new Upload(wire).run(local, remotePath, mode, listener);
    } catch (IOException e) {
      throw cancelledOr(e);
    }
  }

  /**
   * Downloads {@code remotePath} to {@code localFile}, through a hidden partial {@code .NAME.selectftp-part}
   * beside it that is renamed into place only when its SHA-256 matches the server's. An existing partial
   * is resumed when the server confirms its bytes; a mismatch is fetched once more from zero.
   *
   * @throws FtpException for refusals, or {@link ErrorCode#CHECKSUM_MISMATCH} when even the retry did not
   *     hash right
   * @throws IOException for local or network failures; the partial is kept for a later resume
   */
  public GetResult get(String remotePath, Path localFile, TransferListener listener) throws IOException {
    return get(remotePath, localFile, GetMode.REPLACE, listener);
  }

  /**
   * Downloads like {@link #get(String, Path, TransferListener)}; {@code mode} says whether an existing
   * {@code localFile} is only replaced once the download is verified ({@link GetMode#REPLACE}), or holds the
   * file's first bytes and is continued in place from its length when the server confirms them by SHA-256
   * ({@link GetMode#RESUME_LOCAL}; {@link GetResult#resumedFrom()} then says how many bytes it kept).
   *
   * @throws TransferCancelledException when {@link #abort()} stopped it; what arrived is kept for a resume
   */
  public GetResult get(String remotePath, Path localFile, GetMode mode, TransferListener listener)
      throws IOException {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(listener, "listener (use TransferListener.NONE)");
    try {
      return new Download(wire).run(remotePath, localFile, mode, listener);
    } catch (IOException e) {
      throw cancelledOr(e);
    }
  }

  /**
   * The entry for {@code remotePath} when it exists, found by listing its folder; null when it does not
   * (or its folder does not). Hidden partials are never listed, so an interrupted upload is not found.
   */
  public Response.Entry find(String remotePath) throws IOException {
    return new Listings(wire).find(remotePath);
  }

  /**
   * Stops whatever this client is doing by closing its connection; safe to call from any thread (a signal
   * handler, say) and more than once. A transfer in progress then fails with
   * {@link TransferCancelledException}, keeping its partial for a resume; the client is unusable afterwards.
   */
  public void abort() {
    wire.abort();
  }

  /** True once {@link #abort()} was called. */
  public boolean aborted() {
    return wire.aborted();
  }

  private IOException cancelledOr(IOException e) {
    if (!wire.aborted() || e instanceof FtpException) return e;
    log.info("transfer cancelled: {}", e.toString());
    return new TransferCancelledException(e);
  }

  /** Closes the connection without a goodbye; safe to call twice. */
  @Override
  public void close() {
    wire.close();
  }
}
