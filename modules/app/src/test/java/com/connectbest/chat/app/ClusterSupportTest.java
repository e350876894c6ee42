package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import com.hazelcast.config.Config;
import com.hazelcast.config.MultiMapConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterSupportTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("the Hazelcast configuration takes this node's port, interface and members from the settings")
  void settingsOverrideTheFile() {
    Config config = ClusterSupport.hazelcastConfig(new Settings(new JsonObject()
        .put("CLUSTER_CONFIG", "../../conf/cluster.xml")
        .put("CLUSTER_HOST", "127.0.0.1").put("CLUSTER_PORT", "5801")
        .put("CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5802")));
    assertEquals(5801, config.getNetworkConfig().getPort());
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5802"),
        config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals(MultiMapConfig.ValueCollectionType.SET,
        config.getMultiMapConfig("__vertx.subs").getValueCollectionType());
  }

  @Test
  @DisplayName("without conf/cluster.xml the copy on the classpath is used; a named but missing file is refused")
  void classpathFallback() {
    Config config = ClusterSupport.hazelcastConfig(new Settings(new JsonObject()));
    assertEquals("connectbest-chat", config.getClusterName());
    assertThrows(StartupFailure.class, () -> ClusterSupport.hazelcastConfig(
        new Settings(new JsonObject().put("CLUSTER_CONFIG", dir.resolve("missing.xml").toString()))));
  }

  @Test
  @DisplayName("two clustered nodes on loopback reach each other's services over the event bus")
  void twoNodesShareTheEventBus() throws IOException {
    int portA = freePort();
    int portB = freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    RunningApp a = ChatApplication.start(cluster(portA, members), List.of("dms"), true).await();
    try {
      RunningApp b = ChatApplication.start(cluster(portB, members), List.of("metrics"), true).await();
      try {
        ApiException answer = assertThrows(ApiException.class, () -> new ServiceClient(b.vertx().eventBus())
            .call(Addresses.DMS, "listConversations", new JsonObject()).await());
        assertEquals(401, answer.status(), "the dms verticle on the other node answered: no principal");
        assertTrue(b.vertx().isClustered());
      } finally {
        b.close().await();
      }
    } finally {
      a.close().await();
    }
  }

  private JsonObject cluster(int port, String members) {
    return TestConfig.embedded(dir).put("CLUSTER_PORT", port).put("CLUSTER_MEMBERS", members)
        .put("CLUSTER_HOST", "127.0.0.1").put("CLUSTER_CONFIG", "../../conf/cluster.xml");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
