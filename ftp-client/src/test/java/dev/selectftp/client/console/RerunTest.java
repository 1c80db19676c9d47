package dev.selectftp.client.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RerunTest {
  @Test
  void repeatsTheOptionsWithTheSessionsUserAndNeverThePassword() {
    Rerun rerun = new Rerun("ftp-client", List.of("-s", "files.example", "-P", "2121", "-u", "old", "-p", "s3cret",
        "--local-dir", "/tmp/x", "--no-tls"));
    assertEquals("ftp-client -s files.example -P 2121 --local-dir /tmp/x --no-tls -u xiaoyu get big.iso --resume",
        rerun.command("xiaoyu", List.of("get", "big.iso", "--resume")));
  }

  @Test
  void dropsEverySpellingOfTheCredentials() {
    Rerun rerun = new Rerun("ftp-client", List.of("--user=old", "-uold", "--password=s3cret", "-ps3cret", "--user", "old",
        "--password", "s3cret", "--progress", "-P", "7"));
    assertEquals("ftp-client --progress -P 7 -u bob ls", rerun.command("bob", List.of("ls")));
  }

  @Test
  void dropsTheEndOfOptionsMarkerSoTheUserStillCountsAsAnOption() {
    assertEquals("ftp-client -P 7 -u bob ls", new Rerun("ftp-client", List.of("-P", "7", "--")).command("bob", List.of("ls")));
  }

  @Test
  void namesTheProgramAsItWasStarted() {
    assertEquals("'/opt/select ftp/bin/ftp-client' -u bob pwd",
        new Rerun("/opt/select ftp/bin/ftp-client", List.of()).command("bob", List.of("pwd")));
  }

  @Test
  void quotesWordsAShellWouldSplitOrExpand() {
    assertEquals("ftp-client -u bob get 'my file.txt' 'it'\\''s' '$HOME' a/b-c_d.e:f@g",
        new Rerun("ftp-client", List.of()).command("bob", List.of("get", "my file.txt", "it's", "$HOME", "a/b-c_d.e:f@g")));
  }
}
