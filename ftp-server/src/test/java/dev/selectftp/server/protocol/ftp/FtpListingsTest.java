package dev.selectftp.server.protocol.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.selectftp.server.FtpServer;
import dev.selectftp.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LIST, NLST, MLSD, MLST and STAT against the real server, with ftplib, lftp and curl where installed. */
class FtpListingsTest {
  /** A partial upload's name: storage hides it from every listing. */
  private static final String PARTIAL = ".half.bin.selectftp-part";
  /** Entries in the folder STAT cuts: more than one page. */
  private static final int OVER_A_PAGE = ListingPages.MAX_ENTRIES + 200;

  @TempDir Path dir;
  private FtpServer server;

  @BeforeEach
  void start() throws Exception {
    server = FtpServer.start(ServerConfig.forTests(dir).withFtpPort(0));
    Path home = dir.resolve("home/xiaoyu");
    Files.writeString(home.resolve(PARTIAL), "half");
    Files.setLastModifiedTime(home.resolve("welcome.txt"), FileTime.from(Instant.parse("2024-02-29T12:34:56Z")));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static final String MLSD_SCRIPT = """
      import ftplib, sys
      f = ftplib.FTP()
      f.connect("127.0.0.1", int(sys.argv[1]), timeout=20)
      f.login("xiaoyu", "123456")
      for name, facts in f.mlsd():
          print(name, ";".join(k + "=" + v for k, v in sorted(facts.items())))
      f.quit()
      """;

  @Test
  void ftplibMlsdParsesEveryEntryWithAllFiveFactsAndNeverThePartial() throws Exception {
    assumeTrue(FtpTools.onPath("python3"), "python3 is not installed");
    FtpTools.Ran ran = FtpTools.python(dir, "mlsd.py", MLSD_SCRIPT, server.ftpPort());
    assertEquals(0, ran.exit(), ran.output());
    List<String> lines = ran.output().lines().toList();
    assertEquals(4, lines.size(), ran.output()); // ".", notes, sample.bin, welcome.txt
    assertTrue(lines.get(0).matches("\\. modify=\\d{14};perm=celmp;type=cdir;unique=[0-9a-f]{16}"), lines.get(0));
    assertTrue(lines.get(1).matches("notes modify=\\d{14};perm=cdeflmp;type=dir;unique=[0-9a-f]{16}"), lines.get(1));
    assertTrue(lines.get(2).matches(
        "sample\\.bin modify=\\d{14};perm=adfrw;size=65536;type=file;unique=[0-9a-f]{16}"), lines.get(2));
    assertTrue(lines.get(3).startsWith("welcome.txt modify=20240229123456;perm=adfrw;size="), lines.get(3));
    assertFalse(ran.output().contains("selectftp-part"), ran.output());
  }

  @Test
  void mlstAnswersAFileAndAFolderOverTheControlConnection() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      String file = c.command("MLST welcome.txt");
      List<String> lines = file.lines().toList();
      assertEquals(3, lines.size(), file);
      assertEquals("250-Listing /welcome.txt", lines.get(0));
      assertTrue(lines.get(1).matches(" type=file;size=\\d+;modify=20240229123456;perm=adfrw;unique=[0-9a-f]{16}; "
          + "/welcome\\.txt"), lines.get(1));
      assertEquals("250 End", lines.get(2));
      String folder = c.command("MLST notes");
      assertTrue(folder.lines().toList().get(1).matches(
          " type=dir;modify=\\d{14};perm=cdeflmp;unique=[0-9a-f]{16}; /notes"), folder);
      String unique = folder.replaceAll("(?s).*unique=([0-9a-f]+);.*", "$1");
      assertEquals(unique, c.command("MLST /notes").replaceAll("(?s).*unique=([0-9a-f]+);.*", "$1"),
          "unique is stable");
      assertEquals("553", c.command("MLST " + PARTIAL).substring(0, 3), "a partial's name cannot even be named");
      assertEquals("550", c.command("MLST nothing").substring(0, 3));
    }
  }

  @Test
  void optsMlstSelectsTheFactsAndFeatMarksTheSelection() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      assertTrue(c.command("FEAT").contains("\n MLST type*;size*;modify*;perm*;unique*;\n"));
      assertTrue(c.command("FEAT").contains("\n HASH SHA-256*\n"));
      assertEquals("200 MLST OPTS type;size;", c.command("OPTS MLST Size;TYPE;colour;"));
      assertTrue(c.command("FEAT").contains("\n MLST type*;size*;modify;perm;unique;\n"));
      assertEquals(" type=file;size=65536; /sample.bin", c.command("MLST sample.bin").lines().toList().get(1));
      String listing = FtpTools.transferText(c, "MLSD");
      assertTrue(listing.contains("type=file;size=65536; sample.bin\r\n"), listing);
      assertEquals("501", c.command("MLSD sample.bin").substring(0, 3), "MLSD lists folders only");
    }
  }

  @Test
  void listAndNlstStreamTheFolderAndAFileAndHideThePartial() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      assertEquals("notes\r\nsample.bin\r\nwelcome.txt\r\n", FtpTools.transferText(c, "NLST"));
      String list = FtpTools.transferText(c, "LIST -la");
      assertTrue(list.contains(" Feb 29  2024 welcome.txt\r\n"), list);
      assertFalse(list.contains("selectftp-part"), list);
      String one = FtpTools.transferText(c, "LIST sample.bin");
      assertTrue(one.matches("-rw-r--r-- 1 ftp ftp +65536 \\w{3} \\d\\d .{5} sample\\.bin\r\n"), one);
      assertEquals("550", c.command("LIST nothing").substring(0, 3), "550 before any 150");
    }
  }

  @Test
  void aNoopPipelinedBehindListIsAnsweredAfterTheListingNotBeforeIts150() throws Exception {
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.login("xiaoyu", "123456");
      try (java.net.Socket data = FtpTools.passive(c)) {
        // The NOOP is read with the LIST, before the 150 (which waits for the first page on a helper): held
        // until the 226 even when the loop's slice ends between the two and the 150 comes first.
        c.sendRaw("LIST\r\nNOOP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("150", c.reply().substring(0, 3));
        data.getInputStream().readAllBytes();
      }
      assertEquals("226", c.reply().substring(0, 3));
      assertEquals("200", c.reply().substring(0, 3));
    }
  }

  @Test
  void statWithoutAPathDescribesTheSessionAndWithAPathListsOverTheControlConnection() throws Exception {
    Path big = Files.createDirectories(dir.resolve("home/xiaoyu/many"));
    for (int i = 0; i < OVER_A_PAGE; i++) Files.createFile(big.resolve(String.format("n%05d", i)));
    try (FtpLineClient c = new FtpLineClient(server.ftpPort())) {
      c.reply();
      assertTrue(c.command("STAT").contains("\n not logged in\n"));
      c.command("USER xiaoyu");
      c.command("PASS 123456");
      String status = c.command("STAT");
      assertTrue(status.startsWith("211-") && status.endsWith("\n211 End of status"), status);
      assertTrue(status.contains("\n logged in as xiaoyu\n"), status);
      assertTrue(status.contains("\n control connection in plain text\n"), status);
      assertTrue(status.contains("\n no transfer in progress"), status);

      String home = c.command("STAT /");
      List<String> lines = home.lines().toList();
      assertEquals("213-status of /", lines.get(0));
      assertTrue(lines.get(1).matches(" drwxr-xr-x 1 ftp ftp +0 .* many"), lines.get(1));
      assertEquals(6, lines.size(), home); // many, notes, sample.bin, welcome.txt; no partial
      assertEquals("213 End", lines.get(5));
      assertTrue(c.command("STAT welcome.txt").contains(" Feb 29  2024 welcome.txt\n213 End"));

      List<String> cut = c.command("STAT many").lines().toList();
      assertEquals(ListingPages.MAX_ENTRIES + 2, cut.size());
      assertEquals("213 End (truncated after " + ListingPages.MAX_ENTRIES + " entries; use LIST)", cut.get(cut.size() - 1));
      assertEquals("550", c.command("STAT nothing").substring(0, 3));
      assertEquals("200", c.command("NOOP").substring(0, 3), "the control connection goes on");
    }
  }

  @Test
  void lftpListsWithMlsdAndWithList() throws Exception {
    assumeTrue(FtpTools.onPath("lftp"), "lftp is not installed");
    String url = "ftp://127.0.0.1:" + server.ftpPort();
    FtpTools.Ran cls = FtpTools.run(dir, List.of("lftp", "-u", "xiaoyu,123456", "-e",
        "set ftp:ssl-allow no; set net:max-retries 1; cls -l; quit", url));
    assertEquals(0, cls.exit(), cls.output());
    assertTrue(cls.output().lines().anyMatch(l -> l.matches("-\\S+ +65536 \\w{3} [ \\d]\\d .{5} sample\\.bin")),
        cls.output());
    assertTrue(cls.output().lines().anyMatch(l -> l.matches("d\\S+ .*notes/")), cls.output());
    FtpTools.Ran ls = FtpTools.run(dir, List.of("lftp", "-u", "xiaoyu,123456", "-e",
        "set ftp:ssl-allow no; set net:max-retries 1; set ftp:use-mlsd no; ls; quit", url));
    assertEquals(0, ls.exit(), ls.output());
    assertTrue(ls.output().lines().anyMatch(l -> l.matches("-rw-r--r-- 1 ftp ftp +65536 .* sample\\.bin")),
        ls.output());
    assertFalse(cls.output().contains("selectftp-part") || ls.output().contains("selectftp-part"));
  }

  @Test
  void curlListsLinesAndNames() throws Exception {
    assumeTrue(FtpTools.onPath("curl"), "curl is not installed");
    String url = "ftp://xiaoyu:123456@127.0.0.1:" + server.ftpPort() + "/";
    FtpTools.Ran names = FtpTools.run(dir, List.of("curl", "-sS", "--list-only", url));
    assertEquals(0, names.exit(), names.output());
    assertEquals(List.of("notes", "sample.bin", "welcome.txt"), names.output().lines().toList());
    FtpTools.Ran lines = FtpTools.run(dir, List.of("curl", "-sS", url));
    assertEquals(0, lines.exit(), lines.output());
    assertTrue(lines.output().lines().anyMatch(l -> l.matches("-rw-r--r-- 1 ftp ftp +\\d+ Feb 29  2024 welcome\\.txt")),
        lines.output());
  }
}
