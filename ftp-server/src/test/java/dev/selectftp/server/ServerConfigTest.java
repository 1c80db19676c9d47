package dev.selectftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.selectftp.server.accounts.RegistrationPolicy;
import dev.selectftp.server.tls.TlsSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The {@code with*} methods and the builder under them change one field and keep every other. */
class ServerConfigTest {
  private static final ServerConfig BASE = ServerConfig.defaults(Path.of("data"));

  @Test
  void eachWithChangesItsFieldAndUndoingItGivesTheSameConfigBack() {
    List<UnaryOperator<ServerConfig>> changes = List.of(
        c -> c.withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
        c -> c.withDefaultQuotaBytes(7),
        c -> c.withIterations(5000),
        c -> c.withConnectionCaps(3, 2),
        c -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)),
        c -> c.withPartialMaxAge(Duration.ofHours(1)),
        c -> c.withMaxFiles(9),
        c -> c.withRegistration(RegistrationPolicy.UNLIMITED),
        c -> c.withTls(TlsSettings.off()),
        c -> c.toBuilder().backlog(17).dataDir(Path.of("elsewhere")).build());
    List<UnaryOperator<ServerConfig>> undos = List.of(
        c -> c.withBind(BASE.bind()),
        c -> c.withDefaultQuotaBytes(BASE.defaultQuotaBytes()),
        c -> c.withIterations(BASE.iterations()),
        c -> c.withConnectionCaps(BASE.maxConnections(), BASE.maxPerAddress()),
        c -> c.withTimeouts(BASE.loginTimeout(), BASE.idleTimeout()),
        c -> c.withPartialMaxAge(BASE.partialMaxAge()),
        c -> c.withMaxFiles(BASE.maxFiles()),
        c -> c.withRegistration(BASE.registration()),
        c -> c.withTls(BASE.tls()),
        c -> c.toBuilder().backlog(BASE.backlog()).dataDir(BASE.dataDir()).build());
    for (int i = 0; i < changes.size(); i++) {
      ServerConfig changed = changes.get(i).apply(BASE);
      assertNotEquals(BASE, changed, "change " + i + " changes something");
      assertEquals(BASE, undos.get(i).apply(changed), "change " + i + " touched only its own fields");
    }
    assertEquals(BASE, BASE.toBuilder().build());
  }

  @Test
  void theBuilderKeepsTheRecordsChecks() {
    assertThrows(IllegalArgumentException.class, () -> BASE.withIterations(1));
    assertThrows(IllegalArgumentException.class, () -> BASE.withConnectionCaps(0, 1));
    assertThrows(NullPointerException.class, () -> BASE.withTls(null));
  }
}
