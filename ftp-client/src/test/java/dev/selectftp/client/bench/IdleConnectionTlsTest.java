package dev.selectftp.client.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selectftp.client.FakeServer;
import dev.selectftp.client.tls.ClientTls;
import dev.selectftp.common.ChannelBinding;
import dev.selectftp.common.Request;
import dev.selectftp.common.Response;
import dev.selectftp.common.ScramCredentials;
import dev.selectftp.common.ScramServer;
import dev.selectftp.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bench's idle connections upgrade to TLS (over an SSLSocket) and log in bound, as the library does. */
@Timeout(60)
class IdleConnectionTlsTest {
  @TempDir Path dir;

  @Test
  void anIdleConnectionUpgradesAndLogsInWithChannelBinding() throws Exception {
    TestCertificates certs = TestCertificates.makeIn(Files.createDirectories(dir.resolve("certs")));
    char[] password = "s3cret".toCharArray();
    ScramCredentials keys = ScramCredentials.derive(password, new byte[16], FakeServer.ITERATIONS);
    byte[] binding = ChannelBinding.tlsServerEndPoint(certs.selfSigned.leaf());
    try (FakeServer server = FakeServer.startTls("required", certs.selfSigned.serverContext(), new byte[0], peer -> {
      Request.AuthStart start = peer.read(Request.AuthStart.class);
      ScramServer scram = ScramServer.start(ScramServer.parseClientFirst(start.scram(), binding), keys);
      peer.send(new Response.AuthChallenge(200, "continue", scram.serverFirst()));
      String serverFinal = scram.finish(peer.read(Request.AuthFinish.class).scram()).orElseThrow();
      peer.send(new Response.AuthOk(200, "welcome", serverFinal, "bob"));
    })) {
      ClientTls tls = ClientTls.create(null, dir.resolve("known_servers"), line -> {});
      try (IdleConnection idle = IdleConnection.open("127.0.0.1", server.port(), "bob", password, 10_000, tls)) {
        assertTrue(idle.isOpen());
        server.awaitScript();
      }
    }
  }
}
