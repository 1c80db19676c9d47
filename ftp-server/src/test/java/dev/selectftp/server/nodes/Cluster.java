package dev.selectftp.server.nodes;

import dev.selectftp.server.testing.ServerNodes;
import dev.selectftp.server.testing.ThrowawayHaproxy;
import dev.selectftp.server.testing.ThrowawayPostgres;
import dev.selectftp.server.testing.ThrowawayS3;
import java.util.List;
import java.util.Map;
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
  /** Added to each node's environment (homes on each node's disk). */
  private final Map<String, String> environment;
  private ServerNodes nodes;

  /** Homes on each node's disk. */
  Cluster(ThrowawayPostgres pg) {
    this(pg, null, Map.of());
  }

  /** Homes shared by both nodes on {@code store} (keys under {@link ServerNodes#S3_PREFIX}). */
  Cluster(ThrowawayPostgres pg, ThrowawayS3 store) {
    this(pg, store, Map.of());
  }

  private Cluster(ThrowawayPostgres pg, ThrowawayS3 store, Map<String, String> environment) {
    this.pg = pg;
    this.store = store;
    this.environment = environment;
  }

  /**
   * Homes on each node's disk; a node is taken for dead by the other once silent for {@code millis} instead of
   * 30 s (the JVM property {@code selectftp.node-silent-millis}, heartbeats every quarter of it).
   */
  static Cluster silentAfter(ThrowawayPostgres pg, long millis) {
    return new Cluster(pg, null, Map.of("JAVA_TOOL_OPTIONS", "-Dselectftp.node-silent-millis=" + millis));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    nodes = store == null ? ServerNodes.start(pg, 2, List.of(), environment) : ServerNodes.onS3(pg, store, 2);
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
