package dev.selectftp.server.accounts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The server's private random key in {@code <dataDir>/server.secret}. It makes the challenges for unknown
 * user names stable across restarts, so probing a name twice shows nothing a real account would not.
 */
public final class ServerSecret {
  static final String FILE_NAME = "server.secret";
  /** The secret's length; a repository that keeps its secret elsewhere uses the same. */
  public static final int BYTES = 32;

  private ServerSecret() {}

  /**
   * Reads the secret, creating it (owner-only where POSIX permissions exist) when missing. Callers hold the
   * users lock so that the server and an admin process never create two different secrets.
   *
   * @throws IOException when the file exists with the wrong size; it is not replaced, because a new secret
   *     would change every fabricated challenge
   */
  static byte[] loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      byte[] existing = Files.readAllBytes(file);
      if (existing.length != BYTES) {
        throw new IOException("server secret " + file + " has " + existing.length + " bytes, expected " + BYTES
            + "; delete it to generate a new one");
      }
      return existing;
    } catch (NoSuchFileException e) {
      return create(file);
    }
  }

  private static byte[] create(Path file) throws IOException {
    byte[] secret = new byte[BYTES];
    new SecureRandom().nextBytes(secret);
    try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        UserStore.ownerOnly())) {
      ByteBuffer buffer = ByteBuffer.wrap(secret);
      while (buffer.hasRemaining()) out.write(buffer);
      out.force(true);
    }
    UserStore.forceDirectory(file.getParent());
    return secret;
  }
}
