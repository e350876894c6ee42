package com.connectbest.chat.auth;

import static com.connectbest.chat.auth.TwoFactorHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code disableTwoFactor}, {@code regenerateBackupCodes}, {@code getTwoFactorStatus}, and who may call them. */
@ExtendWith(VertxExtension.class)
class TwoFactorManagementTest {

  private TwoFactorHarness harness;
  private Principal ann;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new TwoFactorHarness(vertx);
    ann = harness.register("ann@example.com");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static JsonObject disableBody(String password, String code) {
    return new JsonObject().put("password", password).put("code", code);
  }

  private static List<String> codes(JsonObject reply) {
    return reply.getJsonArray("backup_codes").stream().map(String.class::cast).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"setupTwoFactor", "verifyTwoFactorSetup", "disableTwoFactor", "getTwoFactorStatus",
      "regenerateBackupCodes"})
  @DisplayName("every 2FA action without a caller answers 401 UNAUTHORIZED and changes nothing")
  void needsCaller(String action) {
    JsonObject enabled = harness.enable(ann);
    JsonObject body = new JsonObject().put("password", PASSWORD).put("code", harness.code(enabled.getString("secret"), 1));
    harness.fails(401, ErrorCode.UNAUTHORIZED, action, null, body);
    JsonObject doc = harness.document(ann);
    assertTrue(doc.getBoolean(TwoFactorService.ENABLED));
    assertEquals(harness.clock.millis() / 30_000, doc.getLong(TwoFactorService.LAST_STEP), "code not spent");
  }

  @Test
  @DisplayName("status reports off, then setup in progress, then on with backup codes counting down")
  void status() {
    assertEquals(new JsonObject().put("two_factor_enabled", false).put("setup_in_progress", false)
        .put("backup_codes_remaining", 0), harness.ok("getTwoFactorStatus", ann, null));
    String secret = TwoFactorHarness.secretOf(harness.setup(ann));
    assertEquals(new JsonObject().put("two_factor_enabled", false).put("setup_in_progress", true)
        .put("backup_codes_remaining", 0), harness.ok("getTwoFactorStatus", ann, null));
    List<String> codes = codes(harness.ok("verifyTwoFactorSetup", ann, new JsonObject().put("code", harness.code(secret, 0))));
    assertEquals(10, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));
    harness.ok("login", null, harness.loginBody(ann, codes.get(0)));
    harness.ok("login", null, harness.loginBody(ann, codes.get(1)));
    assertEquals(new JsonObject().put("two_factor_enabled", true).put("setup_in_progress", false)
        .put("backup_codes_remaining", 8), harness.ok("getTwoFactorStatus", ann, null));
  }

  @Test
  @DisplayName("status is per user: another user's 2FA does not show")
  void statusPerUser() {
    harness.enable(ann);
    Principal bob = harness.register("bob@example.com");
    assertFalse(harness.ok("getTwoFactorStatus", bob, null).getBoolean("two_factor_enabled"));
  }

  @Test
  @DisplayName("disable with a wrong password answers 401, keeps 2FA on and does not spend the code")
  void disableWrongPassword() {
    String secret = harness.enable(ann).getString("secret");
    String code = harness.code(secret, 1);
    assertEquals("Invalid password", harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "disableTwoFactor", ann,
        disableBody("WrongPass123", code)).getMessage());
    assertTrue(harness.document(ann).getBoolean(TwoFactorService.ENABLED));
    harness.ok("disableTwoFactor", ann, disableBody(PASSWORD, code));
  }

  @Test
  @DisplayName("disable with a wrong, replayed or used backup code answers 401 INVALID_CREDENTIALS and keeps 2FA on")
  void disableWrongCode() {
    JsonObject enabled = harness.enable(ann);
    String secret = enabled.getString("secret");
    String backup = codes(enabled).get(0);
    harness.ok("login", null, harness.loginBody(ann, backup));
    for (String code : List.of(harness.wrongCode(secret), harness.code(secret, 0), backup, "ZZZZ-ZZZZ")) {
      assertEquals("Invalid 2FA code", harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "disableTwoFactor", ann,
          disableBody(PASSWORD, code)).getMessage());
    }
    assertTrue(harness.document(ann).getBoolean(TwoFactorService.ENABLED));
  }

  @Test
  @DisplayName("disable with a missing or malformed code or password answers 400")
  void disableMalformed() {
    harness.enable(ann);
    for (String code : List.of("12345", "ABCD-12345", "")) {
      harness.fails(400, ErrorCode.VALIDATION_ERROR, "disableTwoFactor", ann, disableBody(PASSWORD, code));
    }
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "disableTwoFactor", ann, new JsonObject().put("password", PASSWORD));
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "disableTwoFactor", ann, new JsonObject().put("code", "123456"));
    assertTrue(harness.document(ann).getBoolean(TwoFactorService.ENABLED));
  }

  @Test
  @DisplayName("disable when 2FA is off answers 400, even during a setup")
  void disableWhenOff() {
    harness.fails(400, ErrorCode.BAD_REQUEST, "disableTwoFactor", ann, disableBody(PASSWORD, "123456"));
    String secret = TwoFactorHarness.secretOf(harness.setup(ann));
    harness.fails(400, ErrorCode.BAD_REQUEST, "disableTwoFactor", ann, disableBody(PASSWORD, harness.code(secret, 0)));
  }

  @Test
  @DisplayName("disable with a current code turns 2FA off and erases secret, backup codes and last step")
  void disableWithTotp() {
    String secret = harness.enable(ann).getString("secret");
    JsonObject reply = harness.ok("disableTwoFactor", ann, disableBody(PASSWORD, harness.code(secret, 1)));
    assertEquals(new JsonObject().put("message", "2FA has been successfully disabled"), reply);
    JsonObject doc = harness.document(ann);
    assertFalse(doc.getBoolean(TwoFactorService.ENABLED));
    for (String field : List.of(TwoFactorService.SECRET, TwoFactorService.PENDING, TwoFactorService.BACKUP_CODES,
        TwoFactorService.LAST_STEP)) {
      assertFalse(doc.containsKey(field), field + " left behind");
    }
    harness.ok("login", null, harness.loginBody(ann, null));
    assertEquals(new JsonObject().put("two_factor_enabled", false).put("setup_in_progress", false)
        .put("backup_codes_remaining", 0), harness.ok("getTwoFactorStatus", ann, null));
  }

  @Test
  @DisplayName("disable accepts an unused backup code, and 2FA can then be set up again with a new secret")
  void disableWithBackupCode() {
    JsonObject enabled = harness.enable(ann);
    harness.ok("disableTwoFactor", ann, disableBody(PASSWORD, codes(enabled).get(5)));
    assertFalse(harness.document(ann).getBoolean(TwoFactorService.ENABLED));
    JsonObject again = harness.enable(ann);
    assertNotEquals(enabled.getString("secret"), again.getString("secret"));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, codes(enabled).get(6)));
    harness.ok("login", null, harness.loginBody(ann, codes(again).get(6)));
  }

  @Test
  @DisplayName("regenerate replaces all backup codes: the old ones stop working, the new ones work once")
  void regenerate() {
    JsonObject enabled = harness.enable(ann);
    List<String> old = codes(enabled);
    harness.ok("login", null, harness.loginBody(ann, old.get(0)));
    JsonObject reply = harness.ok("regenerateBackupCodes", ann,
        new JsonObject().put("code", harness.code(enabled.getString("secret"), 1)));
    assertEquals("Backup codes have been regenerated", reply.getString("message"));
    assertEquals("Old backup codes are now invalid. Save these new codes securely.", reply.getString("warning"));
    List<String> fresh = codes(reply);
    assertEquals(10, fresh.size());
    fresh.forEach(code -> assertTrue(code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}"), code));
    assertTrue(fresh.stream().noneMatch(old::contains));
    assertEquals(10, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));
    for (String code : old.subList(1, 4)) {
      harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, code));
    }
    harness.ok("login", null, harness.loginBody(ann, fresh.get(0)));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, fresh.get(0)));
  }

  @Test
  @DisplayName("regenerate needs a fresh TOTP code: wrong or replayed 401, a backup code or malformed 400, off 400")
  void regenerateRules() {
    harness.fails(400, ErrorCode.BAD_REQUEST, "regenerateBackupCodes", ann, new JsonObject().put("code", "123456"));
    JsonObject enabled = harness.enable(ann);
    String secret = enabled.getString("secret");
    String stored = harness.document(ann).getJsonArray(TwoFactorService.BACKUP_CODES).encode();
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "regenerateBackupCodes", ann,
        new JsonObject().put("code", harness.wrongCode(secret)));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "regenerateBackupCodes", ann,
        new JsonObject().put("code", harness.code(secret, 0)));
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "regenerateBackupCodes", ann,
        new JsonObject().put("code", codes(enabled).get(0)));
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "regenerateBackupCodes", ann, new JsonObject());
    assertEquals(stored, harness.document(ann).getJsonArray(TwoFactorService.BACKUP_CODES).encode());
    String code = harness.code(secret, 1);
    harness.ok("regenerateBackupCodes", ann, new JsonObject().put("code", code));
    assertNotEquals(stored, harness.document(ann).getJsonArray(TwoFactorService.BACKUP_CODES).encode());
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "regenerateBackupCodes", ann, new JsonObject().put("code", code));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, code));
    assertNull(harness.document(ann).getValue(TwoFactorService.PENDING));
  }
}
