package dev.selectftp.server.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import dev.selectftp.server.storage.HashCache;
import dev.selectftp.server.testing.LoopAndPool;
import dev.selectftp.server.transfer.Download;
import java.io.ByteArrayOutputStream;
import dev.selectftp.server.storage.ByteSink;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's download rules as the FTP door will use them: REST without a prefix hash. */
class DownloadsTest {
  @TempDir Path data;

  @Test
  void aRestartWithoutAPrefixHashSendsTheRestAndStillKnowsTheWholeFilesHash() throws Exception {
    Home home = new FileStore(data).home("bob");
    byte[] content = new byte[200_000];
    new Random(7).nextBytes(content);
    Files.write(home.root().resolve("f.bin"), content);
    HashCache hashes = new HashCache();
    Downloads downloads = new Downloads(hashes);

    Download download = downloads.open(home, "/", "f.bin");
    assertNull(download.knownSha256());
    assertFalse(downloads.hashFirst(download, 1000), "a restart never waits for a whole-file hash");
    assertEquals(1000, download.startAt(1000));
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(received);
    ByteSink out = new ByteSink() {
      @Override
      public int write(ByteBuffer source) throws java.io.IOException {
        return channel.write(source);
      }

      @Override
      public long transferFrom(java.nio.channels.FileChannel file, long position, long count)
          throws java.io.IOException {
        return file.transferTo(position, count, channel);
      }
    };
    ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    while (download.send(out, scratch)) {
      // a blocking in-memory sink takes every slice
    }
    download.close();

    assertArrayEquals(Arrays.copyOfRange(content, 1000, content.length), received.toByteArray());
    String whole = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    assertEquals(whole, download.sha256(), "the prefix was hashed too");
    assertTrue(hashes.get(download.info()).isPresent(), "remembered for the next download");
  }

  @Test
  void aFolderOrAMissingNameIsATypedRefusal() throws Exception {
    Home home = new FileStore(data).home("bob");
    Files.createDirectory(home.root().resolve("dir"));
    Downloads downloads = new Downloads(new HashCache());
    assertEquals(Refusal.IS_A_DIRECTORY, assertThrows(Refused.class, () -> downloads.open(home, "/", "dir")).code());
    assertEquals(Refusal.NOT_FOUND, assertThrows(Refused.class, () -> downloads.open(home, "/", "nope")).code());
  }

  @Test
  void anOpenThroughTheStorePoolAnswersOnTheLoopWithTheFileOrItsRefusal() throws Exception {
    Home home = new FileStore(data).home("bob");
    Files.write(home.root().resolve("f.bin"), new byte[1234]);
    try (LoopAndPool threads = new LoopAndPool()) {
      Downloads downloads = new Downloads(new HashCache(), threads.pool());
      LoopAndPool.Answer<Download> opened = threads.call(done -> downloads.open(home, "/", "f.bin", done));
      assertEquals(LoopAndPool.LOOP_THREAD, opened.thread());
      Download download = opened.value();
      assertEquals(1234, download.size());
      download.close();
      LoopAndPool.Answer<Download> missing = threads.call(done -> downloads.open(home, "/", "nope", done));
      assertEquals(Refusal.NOT_FOUND, ((Refused) missing.failure()).code());
      assertNull(missing.value());
    }
  }
}
