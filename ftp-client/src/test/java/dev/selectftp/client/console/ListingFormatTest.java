package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.selectftp.common.Response;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListingFormatTest {
  private final ListingFormat format = new ListingFormat(ZoneOffset.UTC);

  @Test
  void linesShowTypeAlignedSizeDateAndName() {
    List<String> lines = format.lines(List.of(
        new Response.Entry("docs", true, 0, "2026-11-21T18:00:00Z"),
        new Response.Entry("big.iso", false, 1L << 30, "2026-11-21T18:05:30Z"),
        new Response.Entry("a.txt", false, 12, "2026-01-02T03:04:05Z")));
    assertEquals(List.of(
        "d        -  2026-11-21 18:00  docs",
        "-     12 B  2026-01-02 03:04  a.txt",
        "-  1.0 GiB  2026-11-21 18:05  big.iso"), lines);
  }

  @Test
  void foldersComeFirstThenFilesEachByNameWhateverTheServerOrder() {
    List<String> lines = format.lines(List.of(
        new Response.Entry("a.txt", false, 1, "2026-11-21T18:00:00Z"),
        new Response.Entry("b", true, 0, "2026-11-21T18:00:00Z"),
        new Response.Entry("c.txt", false, 1, "2026-11-21T18:00:00Z"),
        new Response.Entry("a", true, 0, "2026-11-21T18:00:00Z")));
    assertEquals(List.of("a", "b", "a.txt", "c.txt"), lines.stream().map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList());
  }

  @Test
  void datesAreShownInTheGivenZone() {
    ListingFormat shanghai = new ListingFormat(ZoneOffset.ofHours(8));
    assertEquals(List.of("-  1 B  2026-11-22 02:00  x"),
        shanghai.lines(List.of(new Response.Entry("x", false, 1, "2026-11-21T18:00:00Z"))));
  }

  @Test
  void unreadableDateDoesNotBreakTheListing() {
    assertEquals(List.of("-  1 B  ????-??-?? ??:??  x"),
        format.lines(List.of(new Response.Entry("x", false, 1, "yesterday"))));
  }

  @Test
  void emptyFolderHasNoLines() {
    assertEquals(List.of(), format.lines(List.of()));
  }
}
