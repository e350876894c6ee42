package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Settings;
import io.vertx.core.json.JsonObject;
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
}
