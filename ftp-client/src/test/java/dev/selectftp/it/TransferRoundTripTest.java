package dev.selectftp.it;

import static dev.selectftp.testing.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.GetResult;
import dev.selectftp.client.PutResult;
import dev.selectftp.client.TransferListener;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real client, real server, loopback: what goes up comes back down bit for bit. */
class TransferRoundTripTest {
  @TempDir static Path work;
  @RegisterExtension static final LiveServer server = new LiveServer();

  @ParameterizedTest(name = "a {0}-byte file uploads and downloads byte-identical, with matching hashes")
  @ValueSource(ints = {0, 1, 8 * 1024 * 1024})
  void aFileUploadsAndDownloadsByteIdenticalWithMatchingHashes(int size) throws Exception {
    String name = "roundtrip-" + size + ".bin";
    Path up = work.resolve("up").resolve(name);
    byte[] bytes = TestFiles.writeRandom(up, 1000L + size, size);
    String expected = sha256(bytes);
    Path downDir = Files.createDirectories(work.resolve("down-" + size));
    Path down = downDir.resolve(name);

    try (FtpClient client = server.loginDemo()) {
      PutResult put = client.put(up, name, TransferListener.NONE);
      assertEquals("/" + name, put.remotePath());
      assertEquals(size, put.size());
      assertEquals(0, put.resumedFrom(), "nothing to resume on a fresh name");
      assertEquals(expected, put.sha256(), "the client's reported hash is the file's real SHA-256");

      Path stored = server.home(LiveServer.DEMO_USER).resolve(name);
      assertArrayEquals(bytes, Files.readAllBytes(stored), "the server stored exactly the bytes sent");
      assertFalse(Files.exists(TestFiles.partialOf(stored)), "the partial became the file");

      GetResult get = client.get(name, down, TransferListener.NONE);
      assertEquals(size, get.size());
      assertEquals(0, get.resumedFrom());
      assertEquals(expected, get.sha256(), "the download's hash is the file's real SHA-256");
      assertEquals(down, get.local());
    }
    byte[] back = Files.readAllBytes(down);
    assertEquals(expected, sha256(back));
    assertArrayEquals(bytes, back, "downloaded bytes equal the uploaded ones");
    try (Stream<Path> left = Files.list(downDir)) {
      assertEquals(1, left.count(), "no local partial is left beside the downloaded file");
    }
  }

  @org.junit.jupiter.api.Test
  void aFileTheServerNeverHashedDownloadsIdenticalWithTheRightHash() throws Exception {
    // Placed behind the server's back: no cached hash, so the server hashes while it streams.
    int size = 5 * 1024 * 1024 + 7;
    Path stored = server.home(LiveServer.DEMO_USER).resolve("unhashed.bin");
    byte[] bytes = TestFiles.writeRandom(stored, 77, size);
    Path down = Files.createDirectories(work.resolve("down-unhashed")).resolve("unhashed.bin");
    try (FtpClient client = server.loginDemo()) {
      GetResult get = client.get("unhashed.bin", down, TransferListener.NONE);
      assertEquals(sha256(bytes), get.sha256());
      // A second download is served from the remembered hash (zero copy) and must agree.
      Files.delete(down);
      assertEquals(sha256(bytes), client.get("unhashed.bin", down, TransferListener.NONE).sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(down));
  }
}
