package dev.selectftp.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.server.refusal.Refusal;
import dev.selectftp.server.refusal.Refused;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jail's edges without a server: the real-path length limit to the byte, the virtual paths it names in
 * its answers, how a failed open is answered, and that walking never leaks a descriptor.
 */
class ConfinementEdgesTest {
  @TempDir Path dir;
  private Path root;
  private Confinement jail;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("home/u")).toRealPath();
    jail = new Confinement(root);
  }

  /** A virtual path whose real path is exactly {@code realBytes} long (ASCII names of at most 200). */
  private String virtualOfRealLength(int realBytes) {
    int left = realBytes - root.toString().length();
    StringBuilder v = new StringBuilder();
    while (left > 0) {
      int name = Math.min(200, left - 1);
      if (left - 1 - name == 1) name--; // never leave room for only the separator
      v.append('/').append("n".repeat(name));
      left -= 1 + name;
    }
    return v.toString();
  }

  @Test
  void aPathIsAcceptedUpToTheLimitThatLeavesRoomForItsPartialAndRefusedOneByteAfter() throws Refused {
    int limit = Confinement.MAX_REAL_PATH_BYTES - Partials.MAX_EXTRA_BYTES;
    String longest = virtualOfRealLength(limit);
    assertEquals(limit, jail.realOf(jail.namesOf(longest)).toString().length());
    String tooLong = virtualOfRealLength(limit + 1);
    assertEquals(Refusal.BAD_PATH, assertThrows(Refused.class, () -> jail.namesOf(tooLong)).code());
  }

  @Test
  void theVirtualPathOfTheFirstNamesIsWhatAUserTyped() {
    List<String> names = List.of("docs", "a.txt");
    assertEquals("/", Confinement.virtualOf(names, 0));
    assertEquals("/docs", Confinement.virtualOf(names, 1));
    assertEquals("/docs/a.txt", Confinement.virtualOf(names, 5));
  }

  @Test
  void theNamesOfARealPathAreTakenFromTheRootDown() {
    assertEquals(List.of("a", "b"), jail.namesOf(root.resolve("a/b")));
    assertEquals(root, jail.root());
    assertThrows(IllegalArgumentException.class, () -> jail.namesOf(dir.resolve("elsewhere")));
  }

  @Test
  void anOpenThatFailsForAnUnnamedReasonIsTakenAsASwapAndRefused() {
    Refused swapped = NameChecks.swappedOrFailed("/d", "open", new FileSystemException("/srv/d"));
    assertEquals(Refusal.FORBIDDEN, swapped.code());
    assertTrue(swapped.getMessage().startsWith("/d changed"), swapped.getMessage());
    assertEquals(Refusal.NOT_FOUND, NameChecks.swappedOrFailed("/d", "open", new NoSuchFileException("x")).code());
  }

  @Test
  void ioFailuresAreAnsweredByTheirTypeWithTheVirtualPathOnly() {
    assertEquals(Refusal.NOT_FOUND, IoErrors.map(new NoSuchFileException("/srv/x"), "open", "/x").code());
    assertEquals(Refusal.EXISTS, IoErrors.map(new FileAlreadyExistsException("/srv/x"), "make", "/x").code());
    assertEquals(Refusal.NOT_EMPTY, IoErrors.map(new DirectoryNotEmptyException("/srv/x"), "delete", "/x").code());
    assertEquals(Refusal.NOT_A_DIRECTORY, IoErrors.map(new NotDirectoryException("/srv/x"), "list", "/x").code());
    assertEquals(Refusal.FORBIDDEN, IoErrors.map(new AccessDeniedException("/srv/x"), "read", "/x").code());
    Refused other = IoErrors.map(new IOException("disk on fire at /srv/x"), "read", "/x");
    assertEquals(Refusal.INTERNAL, other.code());
    assertEquals("could not read /x", other.getMessage());
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void walkingStatingAndOpeningLeakNoDescriptor() throws Exception {
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/f.txt"), "x");
    Home home = new Home(root);
    for (int i = 0; i < 20; i++) home.stat("/a/b/f.txt"); // warm up whatever the JDK opens once
    long before = openDescriptors();
    for (int i = 0; i < 500; i++) {
      home.stat("/");
      home.stat("/a/b/f.txt");
      home.stat("/a/missing/f.txt");
      home.changeDir("/", "/a/b");
      home.openRead(root.resolve("a/b/f.txt")).close();
      try (Folder f = home.openFolder("/a")) {
        assertEquals("/a", f.virtualPath());
      }
    }
    assertTrue(openDescriptors() - before < 20, "descriptors leaked: " + (openDescriptors() - before));
  }
}
