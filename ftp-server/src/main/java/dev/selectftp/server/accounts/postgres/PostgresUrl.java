package dev.selectftp.server.accounts.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the accounts database is, as the operator writes it: {@code postgresql://HOST[:PORT]/DB?user=U&password=P}
 * (libpq's URI form, also with {@code postgres://} and {@code USER:PASSWORD@HOST}). Without a password in the
 * URL the {@code PGPASSWORD} environment variable is used, so the password need not show in {@code ps}.
 * Other query parameters go to pgjdbc unchanged (for example {@code sslmode=require}).
 *
 * <p>{@link #toString()} never shows the password: the URL can be logged and printed.
 *
 * @param parameters the other query parameters, sorted by name
 */
public record PostgresUrl(String host, int port, String database, String user, String password,
    Map<String, String> parameters) {
  public static final int DEFAULT_PORT = 5432;
  /** The environment variable libpq and psql read the password from; used when the URL has none. */
  public static final String PASSWORD_VARIABLE = "PGPASSWORD";

  public PostgresUrl {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    parameters = Map.copyOf(parameters);
  }

  /** True when {@code text} names a PostgreSQL database rather than something else (a future backend). */
  public static boolean isPostgres(String text) {
    return text.startsWith("postgresql://") || text.startsWith("postgres://");
  }

  /**
   * Parses the URL; a missing password is taken from {@code environment}'s {@value #PASSWORD_VARIABLE}.
   *
   * @throws IllegalArgumentException with a one-line reason when it is not such a URL
   */
  public static PostgresUrl parse(String text, Map<String, String> environment) {
    if (!isPostgres(text)) {
      throw new IllegalArgumentException("\"" + redact(text) + "\" is not postgresql://HOST:PORT/DATABASE?user=NAME");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason());
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) throw new IllegalArgumentException("the URL names no host");
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException("the URL names no database (postgresql://HOST:PORT/DATABASE)");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] info = uri.getRawUserInfo().split(":", 2);
      user = decode(info[0]);
      if (info.length == 2) password = decode(info[1]);
    }
    Map<String, String> params = new TreeMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) continue;
        String[] kv = pair.split("=", 2);
        params.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
      }
    }
    if (params.containsKey("user")) user = params.remove("user");
    if (params.containsKey("password")) password = params.remove("password");
    if (password == null) password = environment.get(PASSWORD_VARIABLE);
    return new PostgresUrl(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, user, password, params);
  }

  /** The pgjdbc URL, without user and password (they go as properties, never into a URL that is logged). */
  public String jdbcUrl() {
    StringBuilder b = new StringBuilder("jdbc:postgresql://").append(hostForUrl()).append(':').append(port)
        .append('/').append(database);
    char sep = '?';
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  private String hostForUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return "postgresql://" + (user == null ? "" : user + "@") + hostForUrl() + ":" + port + "/" + database;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The text with anything that looks like a password cut out, for error messages. */
  private static String redact(String text) {
    return text.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }
}
