package com.connectbest.chat.app;

import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acknowledged means durable in a cluster too. As in {@link ClusterIT}: a gateway-only JVM, and a JVM with every
 * service that owns the embedded H2 store (the gateway reaches it at EMBEDDED_MONGO_PORT), joined by Hazelcast over
 * TCP on 127.0.0.1. Traffic goes through the gateway; the store-owning node is killed with SIGKILL mid-traffic and
 * started again on the same DATA_DIR and ports. Runs after `package` (failsafe).
 */
class ClusterCrashDurabilityIT {

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Map<String, String> common = new HashMap<>();
  private CrashLoad load;
  private Path dataDir;
  private int gatewayPort;
  private int gatewayHazelcast;
  private int servicesHazelcast;

  @BeforeEach
  void prepare() throws IOException {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    dataDir = Files.createTempDirectory("connectbest-cluster-crash");
    load = new CrashLoad();
    int[] ports = NodeProcess.freePorts(4);
    gatewayHazelcast = ports[0];
    servicesHazelcast = ports[1];
    gatewayPort = ports[2];
    common.putAll(NodeProcess.clusterOn(gatewayHazelcast, servicesHazelcast));
    common.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", "4");
    common.put("JWT_SECRET_KEY", CrashLoad.SECRET);
    common.put("RATE_LIMITS", CrashLoad.RATE_LIMITS);
    common.put("SERVICE_TIMEOUT_MS", "3000");
    common.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[3]));
    common.put("DATA_DIR", dataDir.toString());
    common.put("GATEWAY_INSTANCES", "1");
    // The defaults, whatever the environment running the tests says: embedded store, H2 file backend.
    common.put("MONGODB_URI", null);
    common.put("EMBEDDED_MONGO_BACKEND", null);
    common.put("CONFIG_FILE", null);
    common.put("VERTICLES", null);
  }

  @AfterEach
  void cleanUp() {
    nodes.forEach(NodeProcess::close);
    if (load != null) {
      load.close();
    }
    CrashDurabilityIT.deleteTree(dataDir);
  }

  private NodeProcess start(String name, int hazelcastPort, int httpPort, Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(extra);
    env.put("CLUSTER_PORT", String.valueOf(hazelcastPort));
    env.put("PORT", String.valueOf(httpPort));
    NodeProcess node = new NodeProcess(name, env, args);
    nodes.add(node);
    node.awaitReady(seconds(60));
    return node;
  }

  /** The store owner: every service, the embedded store on EMBEDDED_MONGO_PORT, no HTTP. */
  private NodeProcess startStoreOwner(String name) {
    return start(name, servicesHazelcast, 0, Map.of(), "--verticles", "auth,channels,messages,dms,uploads,metrics");
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("in a cluster, the node owning the embedded store killed with SIGKILL mid-traffic keeps, after a "
      + "restart, every chat and account write acknowledged through another node's gateway, each of the kinds "
      + "CrashLoad makes")
  void acknowledgedWritesSurviveStoreOwnerKill() {
    // The gateway starts first, so it is the oldest member and survives the owner's death as the cluster's master
    // (see ClusterIT on a master and a service node dying at once).
    start("crash-cluster-gateway", gatewayHazelcast, gatewayPort,
        Map.of("MONGODB_URI", "mongodb://127.0.0.1:" + common.get("EMBEDDED_MONGO_PORT")), "--verticles", "gateway");
    NodeProcess owner = startStoreOwner("crash-cluster-store-owner");
    load.awaitReady(gatewayPort, 30);
    load.setUp(gatewayPort, 4);

    load.runAndKill(gatewayPort, 3, 4000, owner::kill);

    // Let the cluster drop the dead member before its successor joins on the same address.
    if (!load.awaitUnavailable(gatewayPort, 30)) {
      System.out.println("cluster crash test: the gateway never answered 503 after the kill; restarting anyway");
    }
    startStoreOwner("crash-cluster-store-owner-restarted");
    load.awaitServing(gatewayPort, 30);
    load.assertDurable(load.verify(gatewayPort), " (cluster, store owner killed)");
  }
}
