package dev.selectftp.server.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hashing and copying a file's first bytes slice by slice gives exactly what one pass over them gives. */
class HashingSlicesTest {
  private static final int LENGTH = 2 * Sha256.HASH_SLICE_BYTES + 7;
  @TempDir Path dir;
  private Path file;
  private byte[] content;

  @BeforeEach
  void setUp() throws IOException {
    content = new byte[3 * Sha256.HASH_SLICE_BYTES + 100];
    new Random(5).nextBytes(content);
    file = Files.write(dir.resolve("f.bin"), content);
  }

  private static String sha256(byte[] b, int length) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update(b, 0, length);
    return HexFormat.of().formatHex(d.digest());
  }

  @Test
  void hashingAPrefixOverSeveralSlicesHashesExactlyThatPrefix() throws Exception {
    MessageDigest digest = Sha256.newDigest();
    try (FileChannel ch = FileChannel.open(file)) {
      Sha256.update(digest, ch, LENGTH);
    }
    assertEquals(sha256(content, LENGTH), Sha256.peekHex(digest));
    assertEquals(sha256(content, LENGTH), Sha256.hex(digest), "peeking left the digest as it was");
  }

  @Test
  void hashingMoreThanTheFileHoldsFails() throws Exception {
    try (FileChannel ch = FileChannel.open(file)) {
      assertThrows(IOException.class, () -> Sha256.update(Sha256.newDigest(), ch, content.length + 1L));
    }
  }

  @Test
  void aDirectBufferIsHashedFromItsPositionWithoutMovingIt() throws Exception {
    ByteBuffer direct = ByteBuffer.allocateDirect(100).put(content, 0, 100).position(10);
    MessageDigest digest = Sha256.newDigest();
    Sha256.update(digest, direct, 50);
    assertEquals(10, direct.position());
    assertEquals(sha256(Arrays.copyOfRange(content, 10, 60), 50), Sha256.hex(digest));
  }

  @Test
  void copyingAPrefixOverSeveralSlicesCopiesAndHashesExactlyThatPrefix() throws Exception {
    Path to = dir.resolve("to.bin");
    MessageDigest digest = Sha256.newDigest();
    Path exact = Files.write(dir.resolve("exact.bin"), Arrays.copyOf(content, LENGTH));
    try (FileChannel from = FileChannel.open(exact);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      PartialCopy.copy(from, out, LENGTH, digest);
    }
    assertArrayEquals(Arrays.copyOf(content, LENGTH), Files.readAllBytes(to));
    assertEquals(sha256(content, LENGTH), Sha256.hex(digest));
  }

  @Test
  void copyingFromAFileOfAnotherSizeFails() throws Exception {
    Path to = dir.resolve("to.bin");
    try (FileChannel from = FileChannel.open(file);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      assertThrows(IOException.class, () -> PartialCopy.copy(from, out, LENGTH, Sha256.newDigest()),
          "the file is longer than the size it was stat'ed with");
      assertThrows(IOException.class, () -> PartialCopy.copy(from, out, content.length + 1L, Sha256.newDigest()));
    }
  }
}
