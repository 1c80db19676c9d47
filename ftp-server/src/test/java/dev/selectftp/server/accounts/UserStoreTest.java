package dev.selectftp.server.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserStoreTest {
  @TempDir Path dir;

  private static User user(String name, long quota) {
    return new User(name, TestSupport.credentials("pw-" + name), quota, "2025-01-31T12:00:00Z");
  }

  @Test
  void missingFileMeansNoUsers() throws IOException {
    assertTrue(new UserStore(dir).load().isEmpty());
  }

  @Test
  void savedUsersComeBackEqualAndInOrder() throws IOException {
    List<User> users = List.of(user("zed", 5), user("alice", 7));
    new UserStore(dir).save(users);

    Map<String, User> loaded = new UserStore(dir).load();
    assertEquals(List.of("zed", "alice"), new ArrayList<>(loaded.keySet()));
    assertEquals(users.get(0), loaded.get("zed"));
    assertEquals(users.get(1), loaded.get("alice"));
    assertEquals(7, loaded.get("alice").quotaBytes());
  }

  @Test
  void fileFollowsTheDocumentedFormat() throws IOException {
    User u = user("bob", 42);
    new UserStore(dir).save(List.of(u));

    JsonNode root = new ObjectMapper().readTree(dir.resolve("users.json").toFile());
    assertEquals(1, root.get("version").intValue());
    JsonNode n = root.get("users").get(0);
    assertEquals("bob", n.get("name").textValue());
    assertEquals(u.credentials().saltBase64(), n.get("salt").textValue());
    assertEquals(u.credentials().iterations(), n.get("iterations").intValue());
    assertEquals(u.credentials().storedKeyBase64(), n.get("storedKey").textValue());
    assertEquals(u.credentials().serverKeyBase64(), n.get("serverKey").textValue());
    assertEquals(42, n.get("quotaBytes").longValue());
    assertEquals("2025-01-31T12:00:00Z", n.get("created").textValue());
  }

  @Test
  void saveLeavesNoTempFileBehind() throws IOException {
    new UserStore(dir).save(List.of(user("bob", 1)));
    assertTrue(Files.exists(dir.resolve(UserStore.FILE_NAME)));
    assertFalse(Files.exists(dir.resolve(UserStore.TEMP_NAME)));
  }

  @Test
  void crashBetweenWriteAndRenameKeepsTheOldUsersAndTheNextSaveSucceeds() throws IOException {
    UserStore store = new UserStore(dir);
    store.save(List.of(user("bob", 1)));
    // What a crash before the rename leaves: a half-written temp file next to the intact old one.
    Files.writeString(dir.resolve(UserStore.TEMP_NAME), "{\"version\":1,\"users\":[{\"na");

    assertEquals(List.of("bob"), new ArrayList<>(new UserStore(dir).load().keySet()));

    store.update(all -> {
      all.put("carol", user("carol", 2));
      return all;
    });
    assertEquals(List.of("bob", "carol"), new ArrayList<>(new UserStore(dir).load().keySet()));
    assertFalse(Files.exists(dir.resolve(UserStore.TEMP_NAME)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "", "{\"version\":1,\"users\":[", "{\"version\":2,\"users\":[]}",
      "{\"version\":1}", "{\"version\":1,\"users\":[{\"name\":\"bob\"}]}", "{\"version\":1,\"users\":[]} trailing",
      "[1,2]"})
  void corruptFileIsRefusedAndLeftUntouched(String content) throws IOException {
    Path file = dir.resolve(UserStore.FILE_NAME);
    Files.writeString(file, content);
    UserStore store = new UserStore(dir);

    assertThrows(IOException.class, store::load);
    assertThrows(IOException.class, () -> store.update(all -> {
      all.put("eve", user("eve", 1));
      return all;
    }));
    assertEquals(content, Files.readString(file));
  }

  @Test
  void namesEqualIgnoringCaseInTheFileAreCorruption() throws IOException {
    new UserStore(dir).save(List.of(user("Bob", 1)));
    String json = Files.readString(dir.resolve(UserStore.FILE_NAME));
    String twice = json.replaceFirst("\\[", "[" + userJson(json, "bob") + ",");
    Files.writeString(dir.resolve(UserStore.FILE_NAME), twice);
    assertThrows(IOException.class, () -> new UserStore(dir).load());
  }

  private static String userJson(String fileJson, String newName) throws IOException {
    JsonNode u = new ObjectMapper().readTree(fileJson).get("users").get(0);
    ((com.fasterxml.jackson.databind.node.ObjectNode) u).put("name", newName);
    return u.toString();
  }

  @Test
  void updateRereadsWhatAnotherStoreSaved() throws IOException {
    UserStore mine = new UserStore(dir);
    mine.save(List.of(user("bob", 1)));
    new UserStore(dir).save(List.of(user("bob", 1), user("other", 1)));

    UserStore.Snapshot after = mine.update(all -> {
      all.put("carol", user("carol", 1));
      return all;
    });

    assertEquals(List.of("bob", "other", "carol"), new ArrayList<>(after.users().keySet()));
    assertEquals(after.users().keySet(), new UserStore(dir).load().keySet());
    assertEquals(mine.stamp(), after.stamp());
  }

  @Test
  void updateThatReturnsItsInputWritesNothing() throws IOException {
    UserStore store = new UserStore(dir);
    UserStore.Snapshot result = store.update(all -> all);
    assertTrue(result.users().isEmpty());
    assertFalse(Files.exists(dir.resolve(UserStore.FILE_NAME)));
    assertSame(UserStore.Stamp.MISSING, store.stamp());
  }

  @Test
  void concurrentUpdatesFromManyThreadsLoseNothing() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String name = "user" + i;
        User u = user(name, i);
        // A store per thread, as separate components (or processes) would have.
        futures.add(pool.submit(() -> new UserStore(dir).update(all -> {
          all.put(name, u);
          return all;
        })));
      }
      for (Future<?> f : futures) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads, new UserStore(dir).load().size());
  }

  @Test
  void usersFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    new UserStore(dir).save(List.of(user("bob", 1)));
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(dir.resolve(UserStore.FILE_NAME)));
  }
}
