package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import com.connectbest.chat.common.testing.BridgeClient;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two clustered nodes in one JVM (Hazelcast over TCP on 127.0.0.1), the second with two gateway instances: what the
 * cluster holds for the bridge's sockets, and how revocations reach sockets on other nodes.
 */
class EventBridgeClusterTest {

  private static final String CHANNEL = "507f1f77bcf86cd799439bbb";
  private static final String SUBSCRIPTIONS = "__vertx.subs"; // vertx-hazelcast's map of event-bus consumers

  private final List<Vertx> nodes = new ArrayList<>();
  private final List<HazelcastClusterManager> managers = new ArrayList<>();
  private GatewayHarness one;
  private int twoPort;

  @BeforeEach
  void cluster() {
    String name = "bridge-" + UUID.randomUUID();
    int[] ports = {GatewayHarness.freePort(), GatewayHarness.freePort()};
    for (int port : ports) {
      HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(name, port, ports));
      managers.add(manager);
      nodes.add(Vertx.builder()
          .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
          .withClusterManager(manager).buildClustered().await());
    }
    one = new GatewayHarness(nodes.get(0), new JsonObject());
    nodes.get(0).eventBus().<JsonObject>consumer(Addresses.CHANNELS, message -> {
      String action = message.headers().get(ServiceRequest.ACTION_HEADER);
      JsonObject member = new JsonObject().put("exists", true).put("type", "public").put("member", true);
      JsonObject body = InternalActions.CHECK_ACCESS.equals(action) ? member
          : InternalActions.CHECK_ACCESS_MANY.equals(action) ? new JsonObject().put("access", new JsonObject(
              message.body().getJsonObject("body").getJsonArray("channel_ids").stream()
                  .collect(java.util.stream.Collectors.toMap(String.class::cast, id -> member))))
          : new JsonObject().put("reads", new JsonArray().add(new JsonObject().put("user_id", GatewayHarness.ALICE)));
      message.reply(ServiceReply.ok(body).toJson());
    }).completion().await();
    twoPort = GatewayHarness.freePort();
    nodes.get(1).deployVerticle(GatewayVerticle::new, new DeploymentOptions().setInstances(2).setConfig(new JsonObject()
        .put("PORT", twoPort).put("HOST", "127.0.0.1").put("JWT_SECRET_KEY", GatewayHarness.SECRET)
        .put("SERVICE_TIMEOUT_MS", 2000))).await();
  }

  private static Config hazelcast(String name, int port, int[] ports) {
    Config config = new Config().setClusterName(name);
    NetworkConfig network = config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    return config;
  }

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().await();
    }
  }

  private int subscriptions(String address) {
    return managers.get(0).getHazelcastInstance().getMultiMap(SUBSCRIPTIONS).valueCount(address);
  }

  private void awaitSubscriptions(String address, int expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (subscriptions(address) != expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, subscriptions(address), address);
  }

  @Test
  @Timeout(120)
  @DisplayName("sockets on two nodes make one cluster subscription per node, all receive, and a revocation published on one node closes the sockets on both within 1 s")
  void subscriptionsPerNodeAndRevocation() throws InterruptedException {
    String address = Addresses.channel(CHANNEL);
    Vertx client = nodes.get(0);
    List<BridgeClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        BridgeClient socket = new BridgeClient(client, i % 2 == 0 ? one.port : twoPort);
        sockets.add(socket);
        socket.register(address, one.aliceToken());
      }
      for (BridgeClient socket : sockets) {
        assertTrue(socket.awaitRegistered(address, 10_000), "every registration is acknowledged");
      }
      assertEquals(2, subscriptions(address), "one subscription per node, whatever the number of sockets");

      nodes.get(1).eventBus().publish(address, new JsonObject().put("type", "new_message").put("n", 3));
      for (BridgeClient socket : sockets) {
        JsonObject frame = socket.next(5_000);
        assertNotNull(frame, "every socket on every node receives");
        assertEquals(3, frame.getJsonObject("body").getInteger("n"));
      }

      // the sign-out as the auth service records it, then announces it
      long validAfter = System.currentTimeMillis() + 60_000;
      one.users.get(GatewayHarness.ALICE).put("tokens_valid_after_ms", validAfter);
      nodes.get(0).eventBus().publish(Addresses.ACCOUNT_REVOKED, new JsonObject().put("user_id", GatewayHarness.ALICE)
          .put("valid_after_ms", validAfter).put("reason", "logout"));
      for (BridgeClient socket : sockets) {
        assertEquals("4401 token revoked: logout", socket.closedWith(1_000));
      }
      awaitSubscriptions(address, 0);
      try (BridgeClient again = new BridgeClient(client, twoPort)) {
        again.register(address, one.aliceToken()); // node two had the user cached as valid a moment ago
        JsonObject refused = again.next(1_000);
        assertNotNull(refused, "the revoked token is refused on the other node");
        assertEquals(401, refused.getInteger("failureCode"), refused.encode());
      }
    } finally {
      sockets.forEach(BridgeClient::close);
    }
  }
}
