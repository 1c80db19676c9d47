package dev.selectftp.server.accounts;

import static dev.selectftp.server.accounts.TestSupport.ITERATIONS;
import static dev.selectftp.server.accounts.TestSupport.QUOTA;
import static dev.selectftp.server.accounts.TestSupport.credentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selectftp.common.ScramCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The users files damaged by hand or by the disk, on real files: journals with garbage, an empty line or a
 * name that collides in letter case, a users.json that cannot be looked at (a link loop) or written (its temp
 * name taken by a folder). Each is reported with where the damage is, and a running server keeps what the
 * disk holds, never what it only meant to write.
 */
class DamagedUsersFilesTest {
  @TempDir Path dir;
  private final ScramCredentials creds = credentials("pw");
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger storeLog = (Logger) LoggerFactory.getLogger(UserStore.class);

  @AfterEach
  void detach() {
    storeLog.detachAppender(warnings);
  }

  /** Accounts whose clock never moves: lookups answer from memory and never re-read the disk themselves. */
  private Accounts open() throws IOException {
    return Accounts.open(dir, QUOTA, ITERATIONS, () -> 0L);
  }

  private Path journal() {
    return dir.resolve(UserJournal.FILE_NAME);
  }

  private String header() throws IOException {
    return Files.readAllLines(journal()).get(0) + "\n";
  }

  /** A fresh read of the folder fails, and its message says {@code words}; returns the message. */
  private String loadFailsSaying(String words) {
    String message = assertThrows(IOException.class, () -> new UserStore(dir).load()).getMessage();
    assertTrue(message.contains(words), message);
    return message;
  }

  private long generation() throws IOException {
    return new ObjectMapper().readTree(Files.readString(dir.resolve(UserStore.FILE_NAME))).get("journal").longValue();
  }

  @Test
  void aJournalOfGarbageBytesIsReportedAsHavingNoHeader() throws Exception {
    open().register("alice", creds);
    byte[] garbage = new byte[300];
    for (int i = 0; i < garbage.length; i++) garbage[i] = (byte) (0x80 + i % 64); // no newline anywhere
    Files.write(journal(), garbage);
    loadFailsSaying("its first line is not a header");
  }

  @Test
  void aJournalStartingWithAnEmptyLineIsReportedAsABadHeader() throws Exception {
    open().register("alice", creds);
    Files.writeString(journal(), "\n" + header());
    loadFailsSaying("the header is not a JSON object");
  }

  @Test
  void anEmptyLineAfterTheHeaderIsCorruptionNotTheEndOfTheJournal() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    List<String> lines = Files.readAllLines(journal());
    Files.writeString(journal(), lines.get(0) + "\n\n" + lines.get(1) + "\n");
    loadFailsSaying("the entry at byte " + header().length() + " is not a JSON object");
  }

  @Test
  void aLineThatDoesNotParseIsReportedAtItsOwnByteOffset() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    long badAt = Files.size(journal());
    Files.writeString(journal(), "{\"put\":{\"name\":\"eve\"}}\n", StandardOpenOption.APPEND);
    String message = loadFailsSaying("the entry at byte ");
    java.util.regex.Matcher at = java.util.regex.Pattern.compile("the entry at byte (\\d+)").matcher(message);
    assertTrue(at.find(), message);
    assertEquals(badAt, Long.parseLong(at.group(1)), message);
  }

  @Test
  void aJournalNameDifferingFromAUserOnlyInLetterCaseIsCorruption() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    accounts.register("bob", creds);
    String bobLine = Files.readAllLines(journal()).get(1); // users.json holds alice, the journal bob
    assertTrue(bobLine.contains("\"name\":\"bob\""), bobLine);
    // A second writer that did not fold case, or a hand edit: "Bob" beside "bob".
    Files.writeString(journal(), bobLine.replace("\"name\":\"bob\"", "\"name\":\"Bob\"") + "\n",
        StandardOpenOption.APPEND);
    loadFailsSaying("users bob and Bob differ only in letter case");
  }

  @Test
  void aUsersFileThatCannotBeLookedAtIsNoChangeAndTheLastGoodUsersStay() throws Exception {
    Accounts accounts = open();
    accounts.register("alice", creds);
    Path users = dir.resolve(UserStore.FILE_NAME);
    Files.delete(users);
    Files.createSymbolicLink(users, users.getFileName()); // ELOOP on every look, for root too
    assertFalse(accounts.refreshIfChanged(), "nothing could be read, so nothing changed");
    assertTrue(accounts.find("alice").isPresent());
  }

  @Test
  void aFirstRegistrationThatCannotBeWrittenIsNotKeptInMemory() throws Exception {
    Accounts accounts = open();
    Path blocker = Files.createDirectories(dir.resolve(UserStore.TEMP_NAME).resolve("blocker"));
    assertThrows(IOException.class, () -> accounts.register("bob", creds));
    assertTrue(accounts.find("bob").isEmpty(), "memory believes the disk, which has no bob");
    Files.delete(blocker);
    Files.delete(blocker.getParent());
    accounts.register("bob", creds);
    assertTrue(new UserStore(dir).load().containsKey("bob"));
  }

  @Test
  void theJournalIsFoldedAtExactlyItsLimitAndAFoldThatFailsKeepsTheChange() throws Exception {
    Accounts accounts = open();
    accounts.register("bob", creds);
    long before = generation();
    Path blocker = Files.createDirectories(dir.resolve(UserStore.TEMP_NAME).resolve("blocker"));
    warnings.start();
    storeLog.addAppender(warnings);
    for (int i = 1; i < UserStore.COMPACT_MIN_ENTRIES; i++) accounts.setQuota("bob", i);
    assertEquals(List.of(), foldFailures(), "no fold before the limit");

    accounts.setQuota("bob", UserStore.COMPACT_MIN_ENTRIES); // the limit: a fold is tried and fails
    assertEquals(1, foldFailures().size());
    assertEquals(before, generation());
    assertEquals(UserStore.COMPACT_MIN_ENTRIES, new UserStore(dir).load().get("bob").quotaBytes(),
        "the change is durable in the journal all the same");

    Files.delete(blocker);
    Files.delete(blocker.getParent());
    accounts.setQuota("bob", 7); // the next change folds
    assertEquals(before + 1, generation());
    assertEquals(1, Files.readAllLines(journal()).size(), "a fresh journal: its header only");
    assertEquals(7, new UserStore(dir).load().get("bob").quotaBytes());
    assertEquals(7, accounts.find("bob").orElseThrow().quotaBytes());
  }

  private List<String> foldFailures() {
    return warnings.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("could not fold")).toList();
  }
}
