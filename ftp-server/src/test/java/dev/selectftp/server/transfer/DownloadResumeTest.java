package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.files.FileStore;
import dev.selectftp.server.files.Home;
import dev.selectftp.server.storage.ByteSink;
import dev.selectftp.server.storage.HashCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download resumed from a client's prefix: sent from the offset only when the prefix's hash is the
 * server's, always with the whole file's hash at the end, whatever the socket takes of each slice.
 */
class DownloadResumeTest {
  @TempDir Path data;
  private Home home;
  private final HashCache hashes = new HashCache();
  private final byte[] content = new byte[100_000];

  /** A sink that takes at most {@code step} bytes per call, like a socket with a full buffer. */
  private static final class Sink implements ByteSink {
    final ByteArrayOutputStream got = new ByteArrayOutputStream();
    final int step;

    Sink(int step) {
      this.step = step;
    }

    @Override public int write(ByteBuffer source) {
      int n = Math.min(step, source.remaining());
      byte[] b = new byte[n];
      source.get(b);
      got.writeBytes(b);
      return n;
    }

    @Override public long transferFrom(FileChannel file, long position, long count) throws IOException {
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(step, count));
      int n = file.read(b, position);
      got.write(b.array(), 0, n);
      return n;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    home = new FileStore(data).home("bob");
    new Random(11).nextBytes(content);
    Files.write(home.root().resolve("f.bin"), content);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private byte[] sendAll(Download d, Sink sink) throws IOException {
    ByteBuffer scratch = ByteBuffer.allocate(8 * 1024);
    while (d.send(sink, scratch)) {
      // the sink takes what it takes; send is called again, as the loop would
    }
    return sink.got.toByteArray();
  }

  @Test
  void theRightPrefixResumesAtItsEndAndTheHashIsTheWholeFiles() throws Exception {
    Download d = Download.open(home, "/f.bin", hashes);
    assertEquals(40_000, d.resumeFrom(40_000, sha256(Arrays.copyOf(content, 40_000))));
    assertEquals(40_000, d.offset());
    assertArrayEquals(Arrays.copyOfRange(content, 40_000, content.length), sendAll(d, new Sink(3_000)));
    assertEquals(content.length - 40_000, d.sent());
    assertEquals(sha256(content), d.sha256());
    d.close();
  }

  @Test
  void aWrongPrefixSendsTheWholeFileFromZero() throws Exception {
    byte[] other = Arrays.copyOf(content, 40_000);
    other[5] ^= 1;
    Download d = Download.open(home, "/f.bin", hashes);
    assertEquals(0, d.resumeFrom(40_000, sha256(other)));
    assertArrayEquals(content, sendAll(d, new Sink(5_000)));
    assertEquals(sha256(content), d.sha256());
    d.close();
  }

  @Test
  void aPrefixOfTheWholeFileResumesAtTheEndWithNothingToSend() throws Exception {
    Download d = Download.open(home, "/f.bin", hashes);
    assertEquals(content.length, d.resumeFrom(content.length, sha256(content)));
    assertFalse(d.send(new Sink(10), ByteBuffer.allocate(1024)));
    assertEquals(sha256(content), d.sha256());
    d.close();
  }

  @Test
  void anOffsetOfZeroOrPastTheEndStartsFromZero() throws Exception {
    Download d = Download.open(home, "/f.bin", hashes);
    assertEquals(0, d.resumeFrom(content.length + 1, sha256(content)));
    d.close();
    Download z = Download.open(home, "/f.bin", hashes);
    assertEquals(0, z.resumeFrom(0, null));
    z.close();
  }

  @Test
  void aRestartMayBeAtTheEndButNotPastItOrBeforeTheStart() throws Exception {
    Download d = Download.open(home, "/f.bin", hashes);
    assertThrows(IllegalArgumentException.class, () -> d.startAt(-1));
    assertThrows(IllegalArgumentException.class, () -> d.startAt(content.length + 1));
    assertEquals(content.length, d.startAt(content.length));
    assertEquals(content.length, d.size());
    d.close();
  }

  @Test
  void aSecondDownloadUsesTheRememberedHashAndSendsTheSameBytes() throws Exception {
    Download first = Download.open(home, "/f.bin", hashes);
    sendAll(first, new Sink(7_000));
    first.sha256();
    first.close();
    Download second = Download.open(home, "/f.bin", hashes);
    assertEquals(sha256(content), second.knownSha256());
    assertArrayEquals(content, sendAll(second, new Sink(7_000)));
    assertEquals(content.length, second.sent());
    assertEquals("/f.bin", second.virtualPath());
    second.close();
  }

  @Test
  void aKnownHashIsTakenOnlyBeforeSendingFromZero() throws Exception {
    Download d = Download.open(home, "/f.bin", hashes);
    d.useKnownSha256(sha256(content));
    assertEquals(sha256(content), d.sha256());
    d.close();
    Download later = Download.open(home, "/f.bin", new HashCache());
    later.startAt(10);
    assertThrows(IllegalStateException.class, () -> later.useKnownSha256(sha256(content)));
    later.close();
  }

  @Test
  void aClosedDownloadSendsNothingMore() throws Exception {
    Download d = Download.open(home, "/f.bin", new HashCache());
    d.startAt(0);
    d.close();
    assertThrows(IOException.class, () -> d.send(new Sink(10), ByteBuffer.allocate(1024)));
    assertTrue(Files.exists(home.root().resolve("f.bin")));
  }
}
