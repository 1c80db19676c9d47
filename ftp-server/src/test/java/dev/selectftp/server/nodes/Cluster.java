package dev.selectftp.server.nodes;

import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import dev.selectftp.server.testing.ThrowawayPostgres;
import dev.selectftp.server.testing.ThrowawayS3;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two server nodes on the class's {@link ThrowawayPostgres} behind HAProxy, for one test class, with the homes
 * in each node's data folder or, given the class's {@link ThrowawayS3}, all on that one store. Register after
 * the database (and the store): {@code @RegisterExtension static final Cluster CLUSTER = new Cluster(PG);}.
 */
final class Cluster implements BeforeAllCallback, AfterAllCallback {
  private final ThrowawayPostgres pg;
  private final ThrowawayS3 store;
  private ServerNodes nodes;

  /** Homes on each node's disk. */
  Cluster(ThrowawayPostgres pg) {
    this(pg, null);
  }

  /** Homes shared by both nodes on {@code store} (keys under {@link ServerNodes#S3_PREFIX}). */
  Cluster(ThrowawayPostgres pg, ThrowawayS3 store) {
    this.pg = pg;
    this.store = store;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    nodes = store == null ? ServerNodes.start(pg, 2, List.of()) : ServerNodes.onS3(pg, store, 2);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (nodes != null) nodes.close();
  }

  List<ServerNodes.Node> nodes() {
    return nodes.nodes();
  }

  /** Starts a killed node again on its ports and data folder; returns it once it accepts. */
  ServerNodes.Node restart(ServerNodes.Node killed) throws Exception {
    return nodes.restart(killed);
  }

  ThrowawayHaproxy balancer() {
    return nodes.balancer();
  }
}
