package dev.selectftp.server.nodes;

import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import dev.selectftp.server.testing.ThrowawayPostgres;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two server nodes on the class's {@link ThrowawayPostgres} behind HAProxy, for one test class. Register after
 * the database: {@code @RegisterExtension static final Cluster CLUSTER = new Cluster(PG);}.
 */
final class Cluster implements BeforeAllCallback, AfterAllCallback {
  private final ThrowawayPostgres pg;
  private ServerNodes nodes;

  Cluster(ThrowawayPostgres pg) {
    this.pg = pg;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    nodes = ServerNodes.start(pg, 2, List.of());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (nodes != null) nodes.close();
  }

  List<ServerNodes.Node> nodes() {
    return nodes.nodes();
  }

  /** Starts a killed node again on its ports and data folder. */
  void restart(ServerNodes.Node killed) throws Exception {
    nodes.restart(killed);
  }

  ThrowawayHaproxy balancer() {
    return nodes.balancer();
  }
}
