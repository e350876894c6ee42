package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  @DisplayName("--verticles with an unknown name is rejected, naming it and the known names")
  void unknownVerticleIsRejected() {
    StartupFailure refused = assertThrows(StartupFailure.class,
        () -> CommandLine.parse("--verticles", "gateway,chatbot"));
    assertEquals(2, refused.exitCode());
    assertTrue(refused.getMessage().contains("[chatbot]"), refused.getMessage());
    assertTrue(refused.getMessage().contains("gateway,auth,channels,messages,dms,uploads,metrics"));
  }

  @Test
  @DisplayName("--verticles, --cluster and --conf become VERTICLES, CLUSTER and CONFIG_FILE")
  void optionsBecomeSettings() {
    JsonObject overrides = CommandLine.parse("--verticles=auth,gateway", "--cluster", "--conf", "node.json");
    assertEquals("auth,gateway", overrides.getString("VERTICLES"));
    assertEquals(true, overrides.getBoolean("CLUSTER"));
    assertEquals("node.json", overrides.getString("CONFIG_FILE"));
    assertEquals(new JsonObject(), CommandLine.parse());
  }

  @Test
  @DisplayName("unknown arguments and options without their value are rejected; --help asks for the usage")
  void badArgumentsAreRejected() {
    assertThrows(StartupFailure.class, () -> CommandLine.parse("--port", "80"));
    assertThrows(StartupFailure.class, () -> CommandLine.parse("--conf"));
    assertNull(CommandLine.parse("--help"));
  }

  @Test
  @DisplayName("verticles are deployed in catalog order, once each")
  void resolvesInCatalogOrder() {
    assertEquals(List.of("auth", "channels"), VerticleCatalog.resolve(List.of("channels", "auth", "channels")));
    assertEquals(VerticleCatalog.names(), VerticleCatalog.resolve(List.of()));
  }
}
