package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two-factor authentication over real HTTP, as an API client meets it: every 2FA response is checked against
 * openapi.yaml. Codes are computed the way an authenticator app does, from the returned secret at the real time.
 */
class TwoFactorFlowTest {

  /** Stored fields that must never appear in a response. */
  private static final List<String> HIDDEN_FIELDS = List.of("two_factor_secret", "two_factor_pending_secret",
      "two_factor_last_step", "two_factor_secret_temp", "password_hash", "verification_token");

  private static TestSystem system;
  private final List<HttpResponse<Buffer>> responses = new ArrayList<>();

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private HttpResponse<Buffer> conforming(String operationId, HttpResponse<Buffer> response) {
    responses.add(response);
    return system.contract.assertConforms(operationId, response);
  }

  private static JsonObject status(int expected, HttpResponse<Buffer> response) {
    assertEquals(expected, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }

  private static JsonObject error(int expected, String code, HttpResponse<Buffer> response) {
    JsonObject body = status(expected, response);
    assertEquals(code, body.getString("error"), response::bodyAsString);
    return body;
  }

  private HttpResponse<Buffer> login(String email, String password, String code) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (code != null) {
      body.put("code", code);
    }
    return conforming("login", system.post("/api/auth/login", null, body));
  }

  @Test
  @DisplayName("a user turns 2FA on with a code from the returned secret, then needs a code or backup code to sign in")
  void turnOnAndSignIn() {
    JsonObject ann = system.signUp("two.factor@example.com", "Two Factor");
    String email = ann.getString("email");
    String token = ann.getString("token");
    String password = TestSystem.PASSWORD;

    assertEquals(new JsonObject().put("two_factor_enabled", false).put("setup_in_progress", false)
        .put("backup_codes_remaining", 0), status(200, conforming("getTwoFactorStatus", system.get("/api/2fa/status", token))));
    error(401, "INVALID_CREDENTIALS", conforming("setupTwoFactor",
        system.post("/api/2fa/setup", token, new JsonObject().put("password", "WrongPass123"))));

    JsonObject setup = status(200, conforming("setupTwoFactor",
        system.post("/api/2fa/setup", token, new JsonObject().put("password", password))));
    assertTrue(setup.getString("qr_code").startsWith("data:image/png;base64,"));
    assertEquals(3, setup.getJsonArray("instructions").size());
    String secret = setup.getString("secret").replace(" ", "");
    assertTrue(status(200, conforming("getTwoFactorStatus", system.get("/api/2fa/status", token)))
        .getBoolean("setup_in_progress"));

    error(400, "VALIDATION_ERROR", conforming("verifyTwoFactorSetup",
        system.post("/api/2fa/verify-setup", token, new JsonObject().put("code", "12345"))));

    // Three codes are valid at once (the previous, current and next step) and each is accepted only once:
    // the previous one confirms the setup, the current one signs in, the next one regenerates backup codes.
    Instant now = startOfFreshStep();
    String previous = code(secret, now.minus(Duration.ofSeconds(30)));
    String current = code(secret, now);
    String next = code(secret, now.plus(Duration.ofSeconds(30)));

    JsonObject enabled = status(200, conforming("verifyTwoFactorSetup",
        system.post("/api/2fa/verify-setup", token, new JsonObject().put("code", previous))));
    List<String> backupCodes = strings(enabled.getJsonArray("backup_codes"));
    assertEquals(10, backupCodes.size());
    assertEquals(new JsonObject().put("two_factor_enabled", true).put("setup_in_progress", false)
        .put("backup_codes_remaining", 10), status(200, conforming("getTwoFactorStatus", system.get("/api/2fa/status", token))));
    error(400, "BAD_REQUEST", conforming("setupTwoFactor",
        system.post("/api/2fa/setup", token, new JsonObject().put("password", password))));

    JsonObject required = error(401, "TWO_FACTOR_REQUIRED", login(email, password, null));
    assertTrue(required.getString("message").toLowerCase(Locale.ROOT).contains("code"), required.encode());
    JsonObject wrongPassword = error(401, "INVALID_CREDENTIALS", login(email, "WrongPass123", current));
    assertEquals("Invalid email or password", wrongPassword.getString("message"));
    error(401, "INVALID_CREDENTIALS", login(email, password, previous));
    error(401, "INVALID_CREDENTIALS", login(email, password, wrongCode(previous, current, next)));

    String signedIn = status(200, login(email, password, current)).getString("token");
    assertEquals(ann.getString("id"), status(200, system.get("/api/auth/me", signedIn))
        .getJsonObject("user").getString("id"));
    error(401, "INVALID_CREDENTIALS", login(email, password, current));

    assertNotNull(status(200, login(email, password, backupCodes.get(0).toLowerCase(Locale.ROOT))).getString("token"));
    error(401, "INVALID_CREDENTIALS", login(email, password, backupCodes.get(0)));
    assertEquals(9, status(200, conforming("getTwoFactorStatus", system.get("/api/2fa/status", token)))
        .getInteger("backup_codes_remaining"));

    error(400, "VALIDATION_ERROR", conforming("regenerateBackupCodes",
        system.post("/api/2fa/regenerate-backup-codes", token, new JsonObject().put("code", backupCodes.get(1)))));
    JsonObject regenerated = status(200, conforming("regenerateBackupCodes",
        system.post("/api/2fa/regenerate-backup-codes", token, new JsonObject().put("code", next))));
    List<String> fresh = strings(regenerated.getJsonArray("backup_codes"));
    assertEquals(10, fresh.size());
    error(401, "INVALID_CREDENTIALS", login(email, password, backupCodes.get(1)));
    assertEquals(10, status(200, conforming("getTwoFactorStatus", system.get("/api/2fa/status", token)))
        .getInteger("backup_codes_remaining"));

    JsonObject stored = storedUser(email);
    assertTrue(stored.getString("two_factor_secret").startsWith("v1:"), "encrypted at rest");
    assertNotEquals(secret, stored.getString("two_factor_secret"));

    error(401, "INVALID_CREDENTIALS", conforming("disableTwoFactor", system.post("/api/2fa/disable", token,
        new JsonObject().put("password", "WrongPass123").put("code", fresh.get(0)))));
    error(401, "INVALID_CREDENTIALS", conforming("disableTwoFactor", system.post("/api/2fa/disable", token,
        new JsonObject().put("password", password).put("code", backupCodes.get(2)))));
    assertEquals("2FA has been successfully disabled", status(200, conforming("disableTwoFactor",
        system.post("/api/2fa/disable", token, new JsonObject().put("password", password).put("code", fresh.get(0)))))
        .getString("message"));
    assertFalse(status(200, conforming("getTwoFactorStatus", system.get("/api/2fa/status", token)))
        .getBoolean("two_factor_enabled"));
    status(200, login(email, password, null));
    error(400, "BAD_REQUEST", conforming("disableTwoFactor", system.post("/api/2fa/disable", token,
        new JsonObject().put("password", password).put("code", fresh.get(1)))));

    assertNoSecrets(stored, secret, List.of(setup), List.of(enabled, regenerated), backupCodes, fresh, token);
  }

  @Test
  @DisplayName("every 2FA endpoint answers 401 without a token")
  void needsToken() {
    JsonObject body = new JsonObject().put("password", TestSystem.PASSWORD).put("code", "123456");
    error(401, "UNAUTHORIZED", conforming("setupTwoFactor", system.post("/api/2fa/setup", null, body)));
    error(401, "UNAUTHORIZED", conforming("verifyTwoFactorSetup", system.post("/api/2fa/verify-setup", null, body)));
    error(401, "UNAUTHORIZED", conforming("disableTwoFactor", system.post("/api/2fa/disable", null, body)));
    error(401, "UNAUTHORIZED", conforming("getTwoFactorStatus", system.get("/api/2fa/status", null)));
    error(401, "UNAUTHORIZED", conforming("regenerateBackupCodes",
        system.post("/api/2fa/regenerate-backup-codes", null, body)));
  }

  /** Scans every response of the flow, plus the user endpoints, for anything stored that must stay inside. */
  private void assertNoSecrets(JsonObject stored, String secret, List<JsonObject> setupReplies,
                               List<JsonObject> codeReplies, List<String> firstCodes, List<String> secondCodes,
                               String token) {
    for (String path : List.of("/api/auth/me", "/api/users/me", "/api/users", "/api/users/search?query=two")) {
      responses.add(system.get(path, token));
    }
    Set<String> storedValues = new HashSet<>();
    storedValues.add(stored.getString("two_factor_secret"));
    strings(stored.getJsonArray("backup_codes")).forEach(storedValues::add);
    List<String> plainCodes = new ArrayList<>(firstCodes);
    plainCodes.addAll(secondCodes);
    assertTrue(responses.size() > 25, "scanned " + responses.size());
    for (HttpResponse<Buffer> response : responses) {
      String text = response.bodyAsString();
      for (String field : HIDDEN_FIELDS) {
        assertFalse(text.contains("\"" + field + "\""), field + " leaked: " + text);
      }
      storedValues.forEach(value -> assertFalse(text.contains(value), "stored value leaked: " + text));
      Object json = response.bodyAsJson(Object.class);
      boolean isSetup = setupReplies.stream().anyMatch(reply -> reply.equals(json));
      boolean carriesCodes = codeReplies.stream().anyMatch(reply -> reply.equals(json));
      if (!isSetup) {
        assertFalse(text.contains(secret) || text.contains(secret.substring(0, 4) + " " + secret.substring(4, 8)),
            "secret outside the setup reply: " + text);
      }
      if (!carriesCodes) {
        assertFalse(text.contains("\"backup_codes\""), text);
        plainCodes.forEach(code -> assertFalse(text.contains(code), "backup code leaked: " + text));
      }
    }
  }

  private JsonObject storedUser(String email) {
    MongoClient mongo = MongoClient.create(system.vertx, new JsonObject()
        .put("connection_string", system.mongoUri()).put("db_name", system.database()));
    try {
      return mongo.findOne("users", new JsonObject().put("email", email), null).await();
    } finally {
      mongo.close();
    }
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).toList();
  }

  private static String wrongCode(String... valid) {
    List<String> taken = List.of(valid);
    for (int candidate = 0; ; candidate++) {
      String code = String.format(Locale.ROOT, "%06d", candidate);
      if (!taken.contains(code)) {
        return code;
      }
    }
  }

  /**
   * The current time once at least 10 s of the current 30-second step remain, so that the previous step's code
   * is still inside the server's ±1 window when it is sent.
   */
  private static Instant startOfFreshStep() {
    long intoStep = System.currentTimeMillis() % 30_000;
    if (intoStep > 20_000) {
      try {
        Thread.sleep(30_000 - intoStep + 100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return Instant.now();
  }

  /** What an authenticator app shows at that instant: RFC 6238, SHA-1, 6 digits, 30 s (also used by CrashLoad). */
  static String code(String base32Secret, Instant at) {
    try {
      return new TimeBasedOneTimePasswordGenerator()
          .generateOneTimePasswordString(new SecretKeySpec(base32(base32Secret), "HmacSHA1"), at, Locale.ROOT);
    } catch (InvalidKeyException e) {
      throw new AssertionError(e);
    }
  }

  /** RFC 4648 base32, decoded independently of the server's encoder. */
  private static byte[] base32(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toCharArray()) {
      int value = alphabet.indexOf(c);
      if (value < 0) {
        throw new AssertionError("not base32: " + text);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
