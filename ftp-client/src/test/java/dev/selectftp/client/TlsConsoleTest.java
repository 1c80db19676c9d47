package dev.selectftp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.console.ExitCode;
import dev.selectftp.client.tls.Fingerprint;
import dev.selectftp.common.ErrorCode;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The console's TLS options and what the user reads: --no-tls, --known-servers, --cacert, one-line errors. */
@Timeout(60)
class TlsConsoleTest {
  @TempDir static Path certDir;
  @TempDir Path dir;

  @BeforeAll
  static void makeCertificates() throws Exception {
    TlsClientTest.certs = TestCertificates.makeIn(certDir);
    byte[] salt = new byte[16];
    new Random(1).nextBytes(salt);
    TlsClientTest.keys = ScramCredentials.derive(TlsClientTest.PASSWORD, salt, FakeServer.ITERATIONS);
  }

  private Path knownServers() {
    return dir.resolve("known_servers");
  }

  @Test
  void noTlsAgainstARequiredServerShowsTheServersRefusalAsOneLine() throws Exception {
    try (FakeServer server = FakeServer.start("required", peer -> {
      peer.read(Request.AuthStart.class);
      peer.send(Response.Error.of(ErrorCode.TLS_REQUIRED, "this server requires TLS; upgrade with start-tls"));
    })) {
      ScriptedConsole run = ScriptedConsole.runTls(server.port(),
          List.of("--no-tls", "--known-servers", knownServers().toString(), "-u", "bob", "-p", "s3cret", "pwd"));
      assertEquals("error: this server requires TLS; upgrade with start-tls\n", run.err(), run.toString());
      assertEquals(ExitCode.REFUSED, run.exitCode());
      server.awaitScript();
    }
  }

  @Test
  void firstUsePrintsOnePinLineAndTheCommandRunsOverTls() throws Exception {
    TestCertificates.Identity self = TlsClientTest.certs.selfSigned;
    try (FakeServer server = FakeServer.startTls("optional", self.serverContext(), new byte[0], peer -> {
      TlsClientTest.boundLogin(peer, self);
      peer.read(Request.PrintDir.class);
      peer.send(new Response.Cwd(200, "/", "/docs"));
      peer.read(Request.Quit.class);
      peer.send(new Response.Bye(200, "bye"));
    })) {
      ScriptedConsole run = ScriptedConsole.runTls(server.port(),
          List.of("--known-servers", knownServers().toString(), "-u", "bob", "-p", "s3cret", "pwd"));
      assertEquals(ExitCode.OK, run.exitCode(), run.toString());
      assertEquals("pinned " + Fingerprint.of(self.leaf()) + " for 127.0.0.1:" + server.port() + " in "
          + knownServers().toAbsolutePath() + "\n", run.err());
      assertTrue(run.out().contains("/docs"), run.toString());
      assertEquals(1, Files.readAllLines(knownServers()).size());
      server.awaitScript();
    }
  }

  @Test
  void anExpiredCertificateIsOneErrorLineAndExitThree() throws Exception {
    try (FakeServer server = FakeServer.startTls("required", TlsClientTest.certs.expired.serverContext(),
        new byte[0], null)) {
      ScriptedConsole run = ScriptedConsole.runTls(server.port(), List.of("--cacert",
          TlsClientTest.certs.caPem.toString(), "--known-servers", knownServers().toString(), "-u", "bob", "-p",
          "s3cret", "pwd"));
      assertEquals("error: certificate for 127.0.0.1 has expired on 2020-02-01 00:00 UTC\n", run.err(), run.toString());
      assertEquals(ExitCode.IO, run.exitCode());
    }
  }

  @Test
  void anUnreadableCacertFileIsOneErrorLine() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    try (FakeServer server = FakeServer.start("required", peer -> {})) {
      ScriptedConsole run = ScriptedConsole.runTls(server.port(), List.of("--cacert", notPem.toString(),
          "--known-servers", knownServers().toString(), "-u", "bob", "-p", "s3cret", "pwd"));
      assertEquals(1, run.err().lines().count(), run.toString());
      assertTrue(run.err().startsWith("error: ") && run.err().contains(notPem.toString()), run.toString());
    }
  }
}
