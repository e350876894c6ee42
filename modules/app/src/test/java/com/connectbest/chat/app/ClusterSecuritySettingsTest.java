package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Settings;
import com.hazelcast.config.Config;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterSecuritySettingsTest {

  private static Settings settings(JsonObject values) {
    return new Settings(values.put("CLUSTER_CONFIG", "../../conf/cluster.xml"));
  }

  @Test
  @DisplayName("with the three PEM settings the event bus requires TLS with client certificates from the cluster CA")
  void mutualTls() {
    EventBusOptions options = ClusterSupport.withClusterTls(new EventBusOptions(), settings(new JsonObject()
        .put("CLUSTER_TLS_CERT", "/certs/node.pem").put("CLUSTER_TLS_KEY", "/certs/node.key")
        .put("CLUSTER_TLS_CA", "/certs/ca.pem")));
    assertTrue(options.isSsl());
    assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
    assertFalse(options.isTrustAll());
    PemKeyCertOptions key = (PemKeyCertOptions) options.getKeyCertOptions();
    assertEquals(List.of("/certs/node.pem"), key.getCertPaths());
    assertEquals(List.of("/certs/node.key"), key.getKeyPaths());
    assertEquals(List.of("/certs/ca.pem"), ((PemTrustOptions) options.getTrustOptions()).getCertPaths());
  }

  @Test
  @DisplayName("without the PEM settings the event bus stays plain; with only some of them the node refuses to start")
  void partialTlsRefused() {
    assertFalse(ClusterSupport.withClusterTls(new EventBusOptions(), settings(new JsonObject())).isSsl());
    StartupFailure refused = assertThrows(StartupFailure.class, () -> ClusterSupport.withClusterTls(
        new EventBusOptions(), settings(new JsonObject().put("CLUSTER_TLS_KEY", "/certs/node.key"))));
    assertTrue(refused.getMessage().contains("only [CLUSTER_TLS_KEY] set"), refused.getMessage());
  }

  @Test
  @DisplayName("Hazelcast binds only CLUSTER_HOST, and CLUSTER_SECRET changes the cluster name without showing it")
  void hazelcastMembership() {
    Config open = ClusterSupport.hazelcastConfig(settings(new JsonObject()));
    assertEquals("false", open.getProperty("hazelcast.socket.bind.any"));
    assertEquals("false", open.getProperty("hazelcast.socket.server.bind.any"));
    assertEquals("connectbest-chat", open.getClusterName());
    Config one = ClusterSupport.hazelcastConfig(settings(new JsonObject().put("CLUSTER_SECRET", "first-secret-0123")));
    Config two = ClusterSupport.hazelcastConfig(settings(new JsonObject().put("CLUSTER_SECRET", "other-secret-0123")));
    assertTrue(one.getClusterName().startsWith("connectbest-chat-"), one.getClusterName());
    assertFalse(one.getClusterName().contains("first-secret"), "the secret itself never travels");
    assertNotEquals(one.getClusterName(), two.getClusterName());
    assertEquals("false", one.getProperty("hazelcast.logging.details.enabled"), "the name stays out of the logs");
    assertEquals(one.getClusterName(), ClusterSupport.hazelcastConfig(
        settings(new JsonObject().put("CLUSTER_SECRET", "first-secret-0123"))).getClusterName());
  }
}
