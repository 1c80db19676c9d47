package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.loop.Background;
import dev.selectftp.server.loop.Offload;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.transfer.FileHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's SHA-256 as every door asks for it: located on the loop, computed off it once, then remembered. */
class ChecksumsTest {
  private static final byte[] CONTENT = "the quick brown fox jumps over the lazy dog\n".getBytes();

  @TempDir Path data;

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** {@link Checksums#locate} with its stat made at once on this thread ({@link Offload#INLINE}). */
  private static Checksums.Target locate(Checksums checksums, Home home, String cwd, String path) throws Exception {
    Checksums.Target[] target = {null};
    Exception[] failure = {null};
    checksums.locate(home, cwd, path, (found, refused) -> {
      target[0] = found;
      failure[0] = refused;
    });
    if (failure[0] != null) throw failure[0];
    assertNotNull(target[0], "answered at once");
    return target[0];
  }

  @Test
  void aFileIsLocatedRelativeToTheCurrentFolderWithItsSizeAndNoHashUntilOneIsComputed() throws Exception {
    Home home = new FileStore(data).home("bob");
    Files.createDirectories(home.root().resolve("docs"));
    Files.write(home.root().resolve("docs/fox.txt"), CONTENT);
    HashCache cache = new HashCache();
    try (Background background = new Background("test-hash", 1, Runnable::run)) {
      Checksums checksums = new Checksums(cache, new FileHashes(cache, background), Offload.INLINE);

      Checksums.Target target = locate(checksums, home, "/docs", "fox.txt");
      assertEquals("/docs/fox.txt", target.virtualPath());
      assertEquals(CONTENT.length, target.size());
      assertNull(target.knownSha256(), "nothing hashed this file yet");

      CompletableFuture<String> computed = new CompletableFuture<>();
      checksums.compute(home, target, (sha, failure) -> {
        if (failure != null) computed.completeExceptionally(failure);
        else computed.complete(sha);
      });
      assertEquals(sha256(CONTENT), computed.get(3, TimeUnit.SECONDS), "44 bytes hash in microseconds");

      assertEquals(sha256(CONTENT), locate(checksums, home, "/", "docs/fox.txt").knownSha256(),
          "the computed hash is remembered for the next ask");
    }
  }

  @Test
  void aFolderOrAMissingNameIsRefusedBeforeAnyHashing() throws Exception {
    Home home = new FileStore(data).home("bob");
    Files.createDirectories(home.root().resolve("docs"));
    HashCache cache = new HashCache();
    try (Background background = new Background("test-hash", 1, Runnable::run)) {
      Checksums checksums = new Checksums(cache, new FileHashes(cache, background), Offload.INLINE);
      assertEquals(Refusal.IS_A_DIRECTORY,
          assertThrows(Refused.class, () -> locate(checksums, home, "/", "docs")).code());
      assertEquals(Refusal.NOT_FOUND,
          assertThrows(Refused.class, () -> locate(checksums, home, "/docs", "none.txt")).code());
      assertTrue(cache.size() == 0);
    }
  }
}
