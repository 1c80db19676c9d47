package dev.selectftp.client.keys;

import dev.selectftp.client.LoginKeys;
import dev.selectftp.common.ScramClient;
import dev.selectftp.common.ScramKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's SCRAM key cache: ClientKey and ServerKey per server ({@code host:port}), user, salt and
 * iteration count, sealed under the password ({@link SealedKeys}) in a file only the user can read
 * ({@link KeyFile}), so a one-shot command skips the 600,000-iteration PBKDF2 run after its first login. The
 * typed password still has to open the entry: a wrong one derives the long way and is refused by the server.
 * Keys the server refuses are dropped; a second account or a new salt replaces the server and user's entry.
 * The cache never fails a login: trouble with the file is logged and the login derives as without it.
 */
public final class KeyCache implements LoginKeys {
  private static final Logger log = LoggerFactory.getLogger(KeyCache.class);
  /** The file's name in the client's folder under the user's home. */
  public static final String FILE_NAME = "scram-keys";
  private static final String IDENTITY_PREFIX = "selectftp-key-cache-v1";

  private final KeyFile file;
  private final String server;

  private KeyCache(KeyFile file, String server) {
    this.file = file;
    this.server = server;
  }

  /** The cache for {@code host:port} in {@code ~/.selectftp/scram-keys}. */
  public static KeyCache forServer(String host, int port) {
    return at(defaultFile(), host, port);
  }

  /** The cache for {@code host:port} in {@code file}. */
  public static KeyCache at(Path file, String host, int port) {
    return new KeyCache(new KeyFile(file), host + ":" + port);
  }

  /** {@code ~/.selectftp/scram-keys}, beside known_servers and history. */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".selectftp", FILE_NAME);
  }

  @Override
  public ScramKeys find(String user, char[] password, ScramClient.Challenge challenge) {
    try {
      for (KeyFile.Entry entry : file.read()) {
        if (!entry.names(server, user, challenge)) continue;
        ScramKeys keys = entry.sealed().open(password, identity(user, challenge));
        log.debug("cached keys for {} {}", server, keys != null ? "opened" : "do not open with this password");
        return keys;
      }
    } catch (IOException | RuntimeException e) {
      log.info("key cache {} unreadable, deriving the keys: {}", file.path(), e.toString());
    }
    return null;
  }

  @Override
  public void keep(String user, char[] password, ScramClient.Challenge challenge, ScramKeys keys) {
    KeyFile.Entry fresh = new KeyFile.Entry(server, user, challenge.salt(), challenge.iterations(),
        SealedKeys.seal(password, keys, identity(user, challenge)));
    try {
      List<KeyFile.Entry> entries = new ArrayList<>(List.of(fresh));
      // An older salt of the same account is stale: its password was changed.
      for (KeyFile.Entry entry : file.read()) {
        if (!entry.sameAccount(server, user)) entries.add(entry);
      }
      file.write(entries);
    } catch (IOException | RuntimeException e) {
      log.info("key cache {} not written: {}", file.path(), e.toString());
    }
  }

  @Override
  public void forget(String user, ScramClient.Challenge challenge) {
    try {
      List<KeyFile.Entry> entries = new ArrayList<>(file.read());
      if (!entries.removeIf(entry -> entry.names(server, user, challenge))) return;
      file.write(entries);
      log.info("dropped cached keys the server refused for {}", server);
    } catch (IOException | RuntimeException e) {
      log.info("key cache {} not updated: {}", file.path(), e.toString());
    }
  }

  /** What an entry's seal binds: which server, user, salt and count its keys are for. */
  private byte[] identity(String user, ScramClient.Challenge challenge) {
    return String.join("\0", IDENTITY_PREFIX, server, user,
            Base64.getEncoder().encodeToString(challenge.salt()), Integer.toString(challenge.iterations()))
        .getBytes(StandardCharsets.UTF_8);
  }
}
