package dev.selectftp.it;

import static dev.selectftp.testing.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FtpClient;
import dev.selectftp.client.PutResult;
import dev.selectftp.testing.LiveServer;
import dev.selectftp.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An upload cut mid-way, then a server stopped and started again on the same data folder. */
class KilledUploadTest {
  private static final int SIZE = 4 * 1024 * 1024 + 321;
  private static final int CUT = 1_500_000;
  @TempDir Path work;
  @RegisterExtension final LiveServer server = LiveServer.notStarted();

  /** Cuts an upload of {@code bytes} to {@code name} at {@link #CUT}, then restarts the server. */
  private Path cutThenRestart(String name, byte[] bytes) throws Exception {
    server.start();
    int firstPort = server.port();
    ResumeTest.cutUpload(server, LiveServer.DEMO_USER, LiveServer.DEMO_PASSWORD, name, bytes, CUT);
    server.restart();
    assertTrue(server.port() > 0 && firstPort > 0);
    return server.home(LiveServer.DEMO_USER).resolve(name);
  }

  @Test
  void aCutUploadSurvivesARestartAsAHiddenPartialAndNeverUnderTheRealName() throws Exception {
    byte[] bytes = TestFiles.randomBytes(61, SIZE);
    Path real = cutThenRestart("killed.bin", bytes);

    assertFalse(Files.exists(real), "nothing under the real name after the restart");
    Path partial = TestFiles.partialOf(real);
    assertArrayEquals(Arrays.copyOf(bytes, CUT), Files.readAllBytes(partial),
        "the partial survived the restart with the bytes sent");
    try (FtpClient client = server.loginDemo()) {
      assertTrue(client.list("/").stream().noneMatch(e -> e.name().contains("killed")),
          "the partial stays hidden after the restart");
      long demoFiles = DemoFiles.bytes(server.home(LiveServer.DEMO_USER), partial);
      assertEquals(demoFiles + CUT, client.quota().used(), "the rescanned quota counts the partial");
    }
  }

  @Test
  @Timeout(60)
  void aCutUploadResumesAfterARestartAndEndsIdentical() throws Exception {
    byte[] bytes = TestFiles.randomBytes(62, SIZE);
    Path real = cutThenRestart("killed2.bin", bytes);
    Path local = work.resolve("killed2.bin");
    Files.write(local, bytes);
    try (FtpClient client = server.loginDemo()) {
      PutResult result = ResumeTest.putWhenFree(client, local, "killed2.bin");
      assertTrue(result.resumedFrom() > 0, "the upload resumed after the restart");
      assertEquals(CUT, result.resumedFrom());
      assertEquals(sha256(bytes), result.sha256());
    }
    assertArrayEquals(bytes, Files.readAllBytes(real));
    assertFalse(Files.exists(TestFiles.partialOf(real)));
  }

  /** Sizes of the seeded demo files, counted independently of the server. */
  private static final class DemoFiles {
    static long bytes(Path home, Path except) throws Exception {
      try (var walk = Files.walk(home)) {
        return walk.filter(Files::isRegularFile).filter(p -> !p.equals(except)).mapToLong(p -> {
          try {
            return Files.size(p);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).sum();
      }
    }
  }
}
