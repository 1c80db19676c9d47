package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotEmpty;
import org.junit.jupiter.api.Test;

class WordsTest {
  @Test
  void blanksSeparateWords() throws UsageException {
    assertEquals(List.of("mv", "a.txt", "b.txt"), Words.split("  mv   a.txt\tb.txt  "));
  }

  @Test
  void blankLineHasNoWords() throws UsageException {
    assertEquals(List.of(), Words.split("   "));
  }

  @Test
  void doubleQuotesKeepSpacesInOneWord() throws UsageException {
    assertEquals(List.of("put", "my file.txt", "docs/your file.txt"),
        Words.split("put \"my file.txt\" docs/\"your file.txt\""));
  }

  @Test
  void emptyQuotesAreAnEmptyWord() throws UsageException {
    assertEquals(List.of("cd", ""), Words.split("cd \"\""));
  }

  @Test
  void backslashEscapesQuoteAndBackslashInsideQuotes() throws UsageException {
    assertEquals(List.of("say \"hi\" \\"), Words.split("\"say \\\"hi\\\" \\\\\""));
  }

  @Test
  void backslashOutsideQuotesIsKept() throws UsageException {
    assertEquals(List.of("put", "C:\\tmp\\a.txt"), Words.split("put C:\\tmp\\a.txt"));
  }

  @Test
  void unclosedQuoteIsAUsageError() {
    assertThrows(UsageException.class, () -> Words.split("put \"my file"));
  }

  @Property
  void quotingAnyWordGivesItBack(@ForAll @NotEmpty String word) throws UsageException {
    String quoted = "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    assertEquals(List.of(word), Words.split("put " + quoted).subList(1, 2));
  }

  @Property
  void plainWordsSplitOnSpaces(@ForAll @AlphaChars @NotEmpty String a, @ForAll @AlphaChars @NotEmpty String b)
      throws UsageException {
    assertEquals(List.of(a, b), Words.split(a + " " + b));
  }
}
