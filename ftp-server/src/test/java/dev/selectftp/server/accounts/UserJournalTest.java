package dev.selectftp.server.accounts;

import static dev.selectftp.server.accounts.TestSupport.ITERATIONS;
import static dev.selectftp.server.accounts.TestSupport.QUOTA;
import static dev.selectftp.server.accounts.TestSupport.credentials;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a change is one append to users.journal, not a rewrite of users.json, and every state a crash can
 * leave (a torn last line, a compaction stopped between its renames) reads back as the confirmed users.
 */
class UserJournalTest {
  @TempDir Path dir;
  private final ScramCredentials creds = credentials("pw");

  private Accounts open() throws IOException {
    return Accounts.open(dir, QUOTA, ITERATIONS);
  }

  private Path journal() {
    return dir.resolve(UserJournal.FILE_NAME);
  }

  private Set<String> namesOnDisk() throws IOException {
    return new UserStore(dir).load().keySet();
  }

  @Test
  void registrationsAppendToTheJournalAndLeaveUsersJsonAlone() throws Exception {
    Accounts accounts = open();
    accounts.register("first", creds); // creates users.json: the folder is no longer fresh
    UserStore.Stamp before = new UserStore(dir).stamp();
    for (int i = 0; i < 5; i++) accounts.register("user" + i, creds);

    assertEquals(before, new UserStore(dir).stamp(), "users.json is not rewritten per registration");
    List<String> lines = Files.readAllLines(journal());
    assertEquals(1 + 5, lines.size(), "a header and one line per registration");
    assertEquals(Set.of("first", "user0", "user1", "user2", "user3", "user4"), namesOnDisk());
    assertEquals(6, open().list().size());
  }

  @Test
  void theJournalIsFoldedIntoUsersJsonOnceItIsAsLongAsTheUsersAreMany() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", creds);
    long generationBefore = generation();
    for (int i = 1; i <= UserStore.COMPACT_MIN_ENTRIES + 5; i++) accounts.setQuota("bob", i);

    assertEquals(generationBefore + 1, generation(), "one compaction");
    assertTrue(Files.readAllLines(journal()).size() < 10, "the journal started afresh");
    assertEquals(UserStore.COMPACT_MIN_ENTRIES + 5, open().find("bob").orElseThrow().quotaBytes());
    assertEquals(1024, UserStore.compactAfter(10));
    assertEquals(50_000, UserStore.compactAfter(50_000), "amortized: one O(users) write per users changes");
  }

  private long generation() throws IOException {
    String json = Files.readString(dir.resolve(UserStore.FILE_NAME));
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("journal").longValue();
  }

  @Test
  void aTornLastLineIsNeverAUserAndTheNextWriteCutsItOff() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    // What SIGKILL in the middle of an append leaves: part of a line, no newline, never confirmed.
    Files.writeString(journal(), "{\"put\":{\"name\":\"eve\",\"salt\":\"" + "A".repeat(2_000),
        StandardOpenOption.APPEND);

    assertEquals(Set.of("alice", "bob"), namesOnDisk());
    Accounts reopened = open();
    reopened.register("carol", creds);
    assertEquals(Set.of("alice", "bob", "carol"), namesOnDisk());
    assertTrue(Files.readString(journal()).endsWith("}\n"));
    assertTrue(accounts.refreshIfChanged());
    assertTrue(accounts.find("carol").isPresent());
  }

  @Test
  void aCompleteLineThatDoesNotParseIsCorruptionAndLeftUntouched() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    Files.writeString(journal(), "{\"put\":{\"name\":\"eve\"}}\n", StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(journal());

    IOException e = assertThrows(IOException.class, this::open);
    assertTrue(e.getMessage().contains("journal"), e.getMessage());
    assertTrue(accounts.find("alice").isPresent(), "a running server keeps the last good users");
    assertArrayEquals(before, Files.readAllBytes(journal()));
  }

  @Test
  void aJournalOfAnOlderGenerationWasAlreadyFoldedInAndIsIgnored() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    byte[] oldJournal = Files.readAllBytes(journal());
    // A compaction that stopped after renaming users.json but before replacing the journal.
    new UserStore(dir).save(List.of(accounts.find("alice").orElseThrow()));
    Files.write(journal(), oldJournal);

    assertEquals(Set.of("alice"), namesOnDisk(), "the old journal's put of bob predates users.json");
    open().register("carol", creds);
    assertEquals(Set.of("alice", "carol"), namesOnDisk());
  }

  @Test
  void usersJsonRestoredWithoutItsJournalIsRefusedWithAHint() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    byte[] backup = Files.readAllBytes(dir.resolve(UserStore.FILE_NAME));
    new UserStore(dir).save(List.of(accounts.find("alice").orElseThrow())); // a newer generation
    Files.write(dir.resolve(UserStore.FILE_NAME), backup);

    IOException e = assertThrows(IOException.class, this::open);
    assertTrue(e.getMessage().contains("together"), e.getMessage());
  }

  @Test
  void usersJsonWithoutAJournalFieldIsGenerationZeroAndStillReads() throws Exception {
    User bob = new User("bob", creds, 7, "2025-01-31T12:00:00Z");
    new UserStore(dir).save(List.of(bob));
    String legacy = Files.readString(dir.resolve(UserStore.FILE_NAME)).replaceFirst("\"journal\" : \\d+,", "");
    Files.writeString(dir.resolve(UserStore.FILE_NAME), legacy);
    Files.delete(journal());

    Accounts accounts = open();
    assertEquals(7, accounts.find("bob").orElseThrow().quotaBytes());
    accounts.register("carol", creds);
    assertEquals(Set.of("bob", "carol"), namesOnDisk());
  }

  @Test
  void twoInstancesRegisteringTheSameNamesInParallelEachGetExactlyOneWinnerPerName() throws Exception {
    Accounts one = open();
    Accounts two = open();
    List<String> names = List.of("Race", "race", "RACE", "other", "OTHER");
    java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Accounts accounts = t % 2 == 0 ? one : two;
      String name = names.get(t % names.size());
      Thread th = new Thread(() -> {
        try {
          accounts.register(name, creds);
          wins.incrementAndGet();
        } catch (dev.selectftp.server.refusal.Refused expected) {
          // taken
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) th.join(30_000);
    assertEquals(2, wins.get(), "one per case-folded name");
    assertEquals(2, namesOnDisk().size());
  }

  @Test
  void theJournalIsReadableByItsOwnerOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(journal()));
    assertTrue(Files.readString(journal(), StandardCharsets.UTF_8).contains("\"bob\""));
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void aReadPastTheEndOfAJournalThatShrankReturnsWhatIsThereWithoutWaiting() throws IOException {
    Path journal = Files.write(dir.resolve("shrunk.journal"), "one\ntwo\n".getBytes(StandardCharsets.UTF_8));
    try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(journal)) {
      // As if size() had said 20 bytes before another writer cut the file back to 8.
      assertArrayEquals("wo\n".getBytes(StandardCharsets.UTF_8), UserJournal.readFully(in, 5, 20));
      assertArrayEquals(new byte[0], UserJournal.readFully(in, 8, 4), "at the end: nothing, at once");
    }
  }
}
