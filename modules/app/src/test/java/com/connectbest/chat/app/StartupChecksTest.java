package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Settings;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StartupChecksTest {

  private static Settings production(String jwtSecret, String nextAuthSecret) {
    return new Settings(new JsonObject().put("APP_ENV", "production")
        .put("JWT_SECRET_KEY", jwtSecret).put("NEXTAUTH_SECRET", nextAuthSecret));
  }

  @Test
  @DisplayName("production refuses to start without a secret")
  void refusesMissingSecret() {
    StartupFailure refused = assertThrows(StartupFailure.class, () -> StartupChecks.verify(production(null, " ")));
    assertEquals(2, refused.exitCode());
    assertTrue(refused.getMessage().contains("is not set"), refused.getMessage());
  }

  @Test
  @DisplayName("production refuses the development default secret")
  void refusesDefaultSecret() {
    assertTrue(StartupChecks.refusal(production(Settings.DEVELOPMENT_SECRET, null)).orElseThrow()
        .contains("development default"));
  }

  @Test
  @DisplayName("production refuses a secret shorter than 32 characters, NEXTAUTH_SECRET included")
  void refusesShortSecret() {
    assertTrue(StartupChecks.refusal(production(null, "x".repeat(31))).orElseThrow().contains("shorter than 32"));
  }

  @Test
  @DisplayName("production accepts a secret of 32 characters or more")
  void acceptsLongSecret() {
    assertTrue(StartupChecks.refusal(production(null, "n".repeat(32))).isEmpty());
    assertTrue(StartupChecks.refusal(production("j".repeat(40), null)).isEmpty());
  }

  @Test
  @DisplayName("development starts with the default secret")
  void developmentAcceptsDefault() {
    assertTrue(StartupChecks.refusal(new Settings(new JsonObject())).isEmpty());
  }

  private static JsonObject productionCluster() {
    return new JsonObject().put("APP_ENV", "production").put("CLUSTER", "true").put("JWT_SECRET_KEY", "j".repeat(40))
        .put("CLUSTER_TLS_CERT", "node.pem").put("CLUSTER_TLS_KEY", "node.key").put("CLUSTER_TLS_CA", "ca.pem")
        .put("ENVELOPE_PRIVATE_KEY", "envelope.key").put("ENVELOPE_PUBLIC_KEY", "envelope.pub")
        .put("CLUSTER_SECRET", "s".repeat(24));
  }

  private static String clusterRefusal(JsonObject config, String... verticles) {
    StartupFailure refused = assertThrows(StartupFailure.class,
        () -> StartupChecks.verify(new Settings(config), List.of(verticles)));
    assertEquals(2, refused.exitCode());
    return refused.getMessage();
  }

  @Test
  @DisplayName("a production cluster node refuses to start without event-bus TLS, and says which settings to set")
  void productionClusterNeedsTls() {
    String reason = clusterRefusal(productionCluster().put("CLUSTER_TLS_CA", null), "auth");
    assertTrue(reason.contains("only [CLUSTER_TLS_CERT, CLUSTER_TLS_KEY] set"), reason);
    reason = clusterRefusal(productionCluster().put("CLUSTER_TLS_CERT", null).put("CLUSTER_TLS_KEY", null)
        .put("CLUSTER_TLS_CA", " "), "auth");
    assertTrue(reason.contains("the event bus has no TLS (set CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA"),
        reason);
  }

  @Test
  @DisplayName("a production cluster gateway needs the signing key, a services node the public key, every node the secret")
  void productionClusterNeedsEnvelopeKeysAndSecret() {
    assertTrue(clusterRefusal(productionCluster().put("ENVELOPE_PRIVATE_KEY", null), "gateway")
        .contains("runs a gateway but ENVELOPE_PRIVATE_KEY"));
    assertTrue(clusterRefusal(productionCluster().put("ENVELOPE_PUBLIC_KEY", null), "gateway", "metrics")
        .contains("runs services but ENVELOPE_PUBLIC_KEY"));
    assertTrue(clusterRefusal(productionCluster().put("CLUSTER_SECRET", "short"), "auth")
        .contains("CLUSTER_SECRET (which Hazelcast members must share) is shorter than 16"));
    // each key only where it is used
    assertDoesNotThrow(() -> StartupChecks.verify(new Settings(productionCluster().put("ENVELOPE_PRIVATE_KEY", null)),
        List.of("auth", "channels")));
    assertDoesNotThrow(() -> StartupChecks.verify(new Settings(productionCluster().put("ENVELOPE_PUBLIC_KEY", null)),
        List.of("gateway")));
  }

  @Test
  @DisplayName("outside production, or on a single node, an open cluster starts with warnings")
  void developmentClusterWarns() {
    JsonObject open = new JsonObject().put("CLUSTER", "true");
    assertDoesNotThrow(() -> StartupChecks.verify(new Settings(open), List.of("gateway", "auth")));
    assertEquals(3, StartupChecks.clusterWarnings(new Settings(open)).size());
    assertTrue(StartupChecks.clusterRefusal(new Settings(productionCluster().put("CLUSTER", false)
        .put("CLUSTER_TLS_CERT", null).put("CLUSTER_TLS_KEY", null).put("CLUSTER_TLS_CA", null)), List.of("auth"))
        .isEmpty());
    assertTrue(StartupChecks.clusterWarnings(new Settings(productionCluster())).isEmpty());
  }
}
