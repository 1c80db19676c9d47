package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Response;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The library's {@code hash}: the server's SHA-256 of a remote file, refusals as {@link FtpException}s. */
class HashTest {
  @TempDir Path dir;
  @RegisterExtension final LiveServer server = new LiveServer();

  @Test
  void hashOfAFreshUploadEqualsTheLocalSha256() throws Exception {
    Path local = dir.resolve("up.bin");
    byte[] bytes = TestFiles.writeRandom(local, 7, 123_456);
    try (FtpClient client = server.loginDemo()) {
      client.mkdir("docs");
      client.put(local, "docs/up.bin", TransferListener.NONE);
      client.cd("docs");
      Response.Hash hash = client.hash("up.bin");
      assertEquals(TestFiles.sha256(bytes), hash.sha256());
      assertEquals(Digests.sha256Of(local), hash.sha256(), "the client's own file hash agrees");
      assertEquals("/docs/up.bin", hash.path());
      assertEquals(bytes.length, hash.size());
    }
  }

  @Test
  void aMissingFileOrAFolderIsRefusedAndTheConnectionStaysUsable() throws Exception {
    try (FtpClient client = server.loginDemo()) {
      assertEquals(ErrorCode.NOT_FOUND, assertThrows(FtpException.class, () -> client.hash("nope")).code());
      assertEquals(ErrorCode.IS_A_DIRECTORY, assertThrows(FtpException.class, () -> client.hash("notes")).code());
      assertEquals(ErrorCode.BAD_PATH, assertThrows(FtpException.class, () -> client.hash("../x")).code());
      assertEquals("/", client.pwd());
    }
  }
}
