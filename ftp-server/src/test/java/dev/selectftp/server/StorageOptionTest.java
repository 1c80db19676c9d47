package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.storage.s3.S3Location;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --storage s3://BUCKET/PREFIX} and {@code --s3-endpoint URL}: homes on S3; without them, local disk. */
class StorageOptionTest {
  @TempDir Path dir;

  private static ServerConfig config(String... args) throws Settings.Invalid {
    return FtpPortOptionTest.config(args);
  }

  @Test
  void withoutStorageTheHomesStayOnLocalDisk() throws Exception {
    assertNull(config().storage());
  }

  @Test
  void storageAndEndpointOnTheCommandLineNameTheBucketPrefixAndStore() throws Exception {
    S3Location where = config("--storage", "s3://homes/tenant-a/", "--s3-endpoint", "http://minio:9000").storage();
    assertEquals(new S3Location("homes", "tenant-a", URI.create("http://minio:9000")), where);
    assertEquals(new S3Location("homes", "", null), config("--storage", "s3://homes").storage(), "AWS itself");
  }

  @Test
  void theConfigFileTakesTheSameKeys() throws Exception {
    Path file = Files.writeString(dir.resolve("server.conf"),
        "storage = s3://homes/a/b\ns3-endpoint = https://rgw.example:7480\n");
    S3Location where = Settings.resolve(file, Map.of()).toServerConfig().storage();
    assertEquals(new S3Location("homes", "a/b", URI.create("https://rgw.example:7480")), where);
  }

  @Test
  void badValuesAreRefusedWithTheOptionNamed() {
    for (String bad : new String[] {"http://homes/x", "s3://Homes/x", "s3://ab", "s3://homes/../x", "s3://homes/a//b"}) {
      Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> config("--storage", bad), bad);
      assertTrue(e.getMessage().startsWith("--storage: "), e.getMessage());
    }
    Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> config("--storage", "s3://homes", "--s3-endpoint", "ftp://x"));
    assertTrue(e.getMessage().startsWith("--s3-endpoint: "), e.getMessage());
    Settings.Invalid alone = assertThrows(Settings.Invalid.class, () -> config("--s3-endpoint", "http://minio:9000"));
    assertTrue(alone.getMessage().contains("without storage"), alone.getMessage());
  }
}
