package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which names Tab takes from the local folder, by command and by position among the non-flag words. */
class CompletionsTest {
  @Test
  void localNamesArePutsFileGetsTargetAndMirrorsLocalSideWhateverFlagsCameFirst() {
    assertTrue(Completions.isLocal("put", List.of()));
    assertTrue(Completions.isLocal("put", List.of("-r")), "put -r DIR: DIR is local");
    assertFalse(Completions.isLocal("put", List.of("-r", "tree")), "put -r DIR REMOTE: REMOTE is remote");
    assertFalse(Completions.isLocal("get", List.of("-r")));
    assertTrue(Completions.isLocal("get", List.of("-r", "docs")));
    assertTrue(Completions.isLocal("mput", List.of("a.txt", "b.txt")));
    assertFalse(Completions.isLocal("mget", List.of()));
    assertFalse(Completions.isLocal("mirror", List.of("--delete")), "mirror REMOTE");
    assertTrue(Completions.isLocal("mirror", List.of("photos")), "mirror REMOTE LOCAL");
    assertTrue(Completions.isLocal("mirror", List.of("--dry-run", "-R")), "mirror -R LOCAL");
    assertFalse(Completions.isLocal("mirror", List.of("-R", "tree")), "mirror -R LOCAL REMOTE");
    assertTrue(Completions.isLocal("lcd", List.of()));
    assertTrue(Completions.isLocal("lls", List.of()));
    assertFalse(Completions.isLocal("cd", List.of()));
  }
}
