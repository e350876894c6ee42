package com.connectbest.chat.auth;

import static com.connectbest.chat.auth.TwoFactorHarness.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where 2FA state lives: encrypted, hashed, never in a response; and accounts the original service set up. */
@ExtendWith(VertxExtension.class)
class TwoFactorStorageTest {

  /** Stored 2FA fields whose names must never reach a client. */
  static final List<String> HIDDEN_FIELDS = List.of(TwoFactorService.SECRET, TwoFactorService.PENDING,
      TwoFactorService.LAST_STEP, TwoFactorService.LEGACY_PENDING, "password_hash", "verification_token");

  private TwoFactorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  @DisplayName("with TWO_FACTOR_ENCRYPTION_KEY set, secrets and backup codes use that key, not the JWT secret")
  void configuredKey(Vertx vertx) {
    harness = new TwoFactorHarness(vertx, new JsonObject().put(TwoFactorCrypto.KEY_SETTING, "a completely different key"));
    Principal ann = harness.register("ann@example.com");
    JsonObject enabled = harness.enable(ann);
    JsonObject doc = harness.document(ann);
    String stored = doc.getString(TwoFactorService.SECRET);
    TwoFactorCrypto configured = new TwoFactorCrypto("a completely different key");
    assertEquals(enabled.getString("secret"), configured.decrypt(stored, ann.id()));
    assertThrows(IllegalStateException.class,
        () -> new TwoFactorCrypto(TwoFactorHarness.JWT_SECRET).decrypt(stored, ann.id()));
    String first = enabled.getJsonArray("backup_codes").getString(0).replace("-", "");
    assertTrue(doc.getJsonArray(TwoFactorService.BACKUP_CODES).contains(configured.hashBackupCode(ann.id(), first)));
  }

  @Test
  @DisplayName("no 2FA or user response ever carries a stored secret, hash, last step or their field names")
  void nothingLeaks(Vertx vertx) {
    harness = new TwoFactorHarness(vertx);
    Principal ann = harness.register("ann@example.com");
    Principal bob = harness.register("bob@example.com");
    Set<String> storedValues = new HashSet<>();

    JsonObject setup = harness.setup(ann);
    String secret = TwoFactorHarness.secretOf(setup);
    storedValues.add(harness.document(ann).getString(TwoFactorService.PENDING));
    harness.ok("getTwoFactorStatus", ann, null);
    harness.ok("getCurrentUser", ann, null);
    harness.fails(400, null, "verifyTwoFactorSetup", ann, new JsonObject().put("code", harness.wrongCode(secret)));
    JsonObject verified = harness.ok("verifyTwoFactorSetup", ann, new JsonObject().put("code", harness.code(secret, 0)));
    collectStored(harness.document(ann), storedValues);
    harness.fails(401, ErrorCode.TWO_FACTOR_REQUIRED, "login", null, harness.loginBody(ann, null));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, harness.code(secret, 0)));
    harness.ok("login", null, harness.loginBody(ann, harness.code(secret, 1)));
    harness.ok("login", null, harness.loginBody(ann, verified.getJsonArray("backup_codes").getString(0)));
    harness.ok("getTwoFactorStatus", ann, null);
    harness.clock.advance(java.time.Duration.ofSeconds(30));
    JsonObject regenerated = harness.ok("regenerateBackupCodes", ann,
        new JsonObject().put("code", harness.code(secret, 1)));
    collectStored(harness.document(ann), storedValues);
    harness.ok("getCurrentUser", ann, null);
    harness.ok("getMyProfile", ann, null);
    harness.ok("updateMyProfile", ann, new JsonObject().put("status_message", "Working"));
    harness.ok("listUsers", bob, null);
    harness.ok(200, "searchUsers", bob, new JsonObject().put("query", "ann"), null);
    harness.ok(InternalActions.LOOKUP_USERS, null, new JsonObject().put("user_ids", new JsonArray().add(ann.id())));
    harness.ok(InternalActions.RESOLVE_PRINCIPAL, null, new JsonObject().put("user_id", ann.id()));
    harness.ok("logout", ann, null);
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "disableTwoFactor", ann,
        new JsonObject().put("password", PASSWORD).put("code", harness.wrongCode(secret)));
    harness.clock.advance(java.time.Duration.ofSeconds(30));
    harness.ok("disableTwoFactor", ann, new JsonObject().put("password", PASSWORD).put("code", harness.code(secret, 1)));
    harness.ok("getTwoFactorStatus", ann, null);

    assertEquals(1 + 2 * 10, storedValues.size(), "pending/active ciphertext and two sets of hashes; " + storedValues);
    List<String> backupCodes = new ArrayList<>();
    verified.getJsonArray("backup_codes").forEach(code -> backupCodes.add((String) code));
    regenerated.getJsonArray("backup_codes").forEach(code -> backupCodes.add((String) code));
    assertTrue(harness.replies.size() >= 20);
    for (Object reply : harness.replies) {
      String text = String.valueOf(reply);
      Set<String> keys = new HashSet<>();
      collectKeys(reply, keys);
      for (String field : HIDDEN_FIELDS) {
        assertFalse(keys.contains(field) || text.contains(field), field + " in " + text);
      }
      for (String value : storedValues) {
        assertFalse(text.contains(value), "stored value " + value + " in " + text);
      }
      if (reply != setup) {
        assertFalse(text.contains(secret) || text.contains(Totp.display(secret)), "secret outside setup: " + text);
      }
      if (reply != verified && reply != regenerated) {
        assertFalse(keys.contains(TwoFactorService.BACKUP_CODES), "backup_codes in " + text);
        backupCodes.forEach(code -> assertFalse(text.contains(code), code + " in " + text));
      }
    }
  }

  private static void collectStored(JsonObject doc, Set<String> into) {
    into.add(doc.getString(TwoFactorService.SECRET));
    doc.getJsonArray(TwoFactorService.BACKUP_CODES).forEach(hash -> into.add((String) hash));
  }

  private static void collectKeys(Object json, Set<String> into) {
    if (json instanceof JsonObject object) {
      object.forEach(entry -> {
        into.add(entry.getKey());
        collectKeys(entry.getValue(), into);
      });
    } else if (json instanceof JsonArray array) {
      array.forEach(item -> collectKeys(item, into));
    }
  }

  @Test
  @DisplayName("an account set up by the original service (plain-text secret, bcrypt backup codes) keeps working")
  void legacyAccount(Vertx vertx) {
    harness = new TwoFactorHarness(vertx);
    Principal ann = harness.register("ann@example.com");
    String secret = Totp.newSecret();
    BCrypt.Hasher bcrypt = BCrypt.with(BCrypt.Version.VERSION_2B);
    harness.updateDocument(ann, new JsonObject().put("$set", new JsonObject()
        .put(TwoFactorService.ENABLED, true)
        .put(TwoFactorService.SECRET, secret)
        .put(TwoFactorService.LEGACY_PENDING, Totp.newSecret())
        .put(TwoFactorService.BACKUP_CODES, new JsonArray()
            .add(bcrypt.hashToString(4, "ABCDEFGH".toCharArray()))
            .add(bcrypt.hashToString(4, "JKLMNPQR".toCharArray())))));

    assertEquals(2, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));
    harness.fails(401, ErrorCode.TWO_FACTOR_REQUIRED, "login", null, harness.loginBody(ann, null));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, harness.wrongCode(secret)));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, "ZZZZ-ZZZZ"));

    harness.ok("login", null, harness.loginBody(ann, harness.code(secret, 0)));
    String upgraded = harness.document(ann).getString(TwoFactorService.SECRET);
    assertTrue(upgraded.startsWith("v1:"), "encrypted on first use: " + upgraded);
    assertEquals(secret, new TwoFactorCrypto(TwoFactorHarness.JWT_SECRET).decrypt(upgraded, ann.id()));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, harness.code(secret, 0)));
    harness.ok("login", null, harness.loginBody(ann, harness.code(secret, 1)));

    harness.ok("login", null, harness.loginBody(ann, "abcd-efgh"));
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "login", null, harness.loginBody(ann, "ABCDEFGH"));
    assertEquals(1, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));

    harness.ok("disableTwoFactor", ann, new JsonObject().put("password", PASSWORD).put("code", "JKLMNPQR"));
    JsonObject doc = harness.document(ann);
    assertFalse(doc.getBoolean(TwoFactorService.ENABLED));
    assertFalse(doc.containsKey(TwoFactorService.LEGACY_PENDING), "the original's plain-text pending secret is erased");
    assertFalse(doc.containsKey(TwoFactorService.SECRET));
  }

  @Test
  @DisplayName("setup erases a plain-text pending secret left by the original service")
  void setupErasesLegacyPending(Vertx vertx) {
    harness = new TwoFactorHarness(vertx);
    Principal ann = harness.register("ann@example.com");
    harness.updateDocument(ann, new JsonObject().put("$set",
        new JsonObject().put(TwoFactorService.LEGACY_PENDING, Totp.newSecret())));
    harness.setup(ann);
    assertFalse(harness.document(ann).containsKey(TwoFactorService.LEGACY_PENDING));
  }
}
