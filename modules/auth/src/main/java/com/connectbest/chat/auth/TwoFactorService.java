package com.connectbest.chat.auth;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Two-factor authentication: setup (a pending secret and its QR code), confirmation (enables 2FA, issues backup
 * codes), status, backup-code regeneration, disabling, and the second factor of sign-in.
 *
 * <p>Every accepted code is used up in the same atomic update that acts on it: a TOTP code by raising
 * {@value #LAST_STEP} to its time step (the update only applies while the stored step is lower, so a code is never
 * accepted twice, and no older one after it), a backup code by pulling its hash (the update only applies while the
 * hash is still there).
 *
 * <p>Accounts set up by the original service keep working: a plain-text {@value #SECRET} is accepted and encrypted on
 * its next successful use, and bcrypt-hashed backup codes are still checked (with bcrypt) until they are used or
 * replaced.
 */
final class TwoFactorService {

  static final String ENABLED = "two_factor_enabled";
  static final String SECRET = "two_factor_secret";
  static final String PENDING = "two_factor_pending_secret";
  static final String BACKUP_CODES = "backup_codes";
  static final String LAST_STEP = "two_factor_last_step";
  /** Where the original service kept a setup's secret, in plain text; erased whenever 2FA state changes. */
  static final String LEGACY_PENDING = "two_factor_secret_temp";

  static final List<String> INSTRUCTIONS = List.of(
      "1. Download Google Authenticator, Authy, or similar app",
      "2. Scan the QR code or enter the secret manually",
      "3. Enter the 6-digit code from your app to complete setup");

  /** What a verified code allows: the condition that keeps it single-use, and the changes that use it up. */
  record Proof(JsonObject condition, JsonObject set, JsonObject pull) {

    /** Sign-in of an account without 2FA: valid only while 2FA is still off. */
    static Proof none() {
      return new Proof(new JsonObject().put(ENABLED, new JsonObject().put("$ne", true)), new JsonObject(), null);
    }
  }

  private final UserStore users;
  private final PasswordHasher passwords;
  private final TwoFactorCrypto crypto;
  private final Totp totp;
  private final QrCodes qrCodes;

  TwoFactorService(UserStore users, PasswordHasher passwords, TwoFactorCrypto crypto, Totp totp, QrCodes qrCodes) {
    this.users = users;
    this.passwords = passwords;
    this.crypto = crypto;
    this.totp = totp;
    this.qrCodes = qrCodes;
  }

  Future<JsonObject> setup(String userId, JsonObject body) {
    String password = requiredString(body, "password");
    return user(userId).compose(user -> checkPassword(user, password).compose(ok -> {
      if (isEnabled(user)) {
        return Future.failedFuture(ApiException.badRequest("2FA is already enabled. Disable it first to set up again."));
      }
      String secret = Totp.newSecret();
      return users.updateIf(userId, notEnabled(), new JsonObject().put(PENDING, crypto.encrypt(secret, userId)),
              new JsonObject().put(LEGACY_PENDING, ""), null)
          .compose(updated -> updated == null
              ? Future.failedFuture(ApiException.badRequest("2FA is already enabled. Disable it first to set up again."))
              : qrCodes.pngDataUri(Totp.provisioningUri(secret, updated.getString("email"))))
          .map(png -> new JsonObject()
              .put("message", "Scan the QR code with your authenticator app")
              .put("qr_code", png)
              .put("secret", Totp.display(secret))
              .put("instructions", new JsonArray(INSTRUCTIONS)));
    }));
  }

  Future<JsonObject> verifySetup(String userId, JsonObject body) {
    String code = sixDigits(body.getValue("code"));
    return user(userId).compose(user -> {
      String pending = user.getString(PENDING);
      if (pending == null || isEnabled(user)) {
        return Future.failedFuture(ApiException.badRequest("No 2FA setup in progress. Please start setup first."));
      }
      OptionalLong step = totp.match(crypto.decrypt(pending, userId), code, lastStep(user));
      if (step.isEmpty()) {
        return Future.failedFuture(invalidSetupCode());
      }
      List<String> codes = BackupCodes.generate();
      JsonObject condition = and(notEnabled(), new JsonObject().put(PENDING, pending), stepAfter(step.getAsLong()));
      JsonObject set = new JsonObject()
          .put(ENABLED, true)
          .put(SECRET, pending)
          .put(BACKUP_CODES, hashes(userId, codes))
          .put(LAST_STEP, step.getAsLong());
      return users.updateIf(userId, condition, set, new JsonObject().put(PENDING, "").put(LEGACY_PENDING, ""), null)
          .compose(updated -> updated == null
              ? Future.failedFuture(invalidSetupCode())
              : Future.succeededFuture(new JsonObject()
                  .put("message", "2FA has been successfully enabled")
                  .put("backup_codes", new JsonArray(codes))
                  .put("warning", "Save these backup codes in a secure place. Each code can only be used once.")));
    });
  }

  Future<JsonObject> disable(String userId, JsonObject body) {
    String password = requiredString(body, "password");
    String code = totpOrBackupCode(body.getValue("code"));
    return user(userId).compose(user -> checkPassword(user, password)
        .compose(ok -> isEnabled(user)
            ? check(user, code, true)
            : Future.failedFuture(ApiException.badRequest("2FA is not enabled")))
        .compose(proof -> proof == null
            ? Future.failedFuture(invalidCode())
            : users.updateIf(userId, and(isOn(), proof.condition()), new JsonObject().put(ENABLED, false),
                new JsonObject().put(SECRET, "").put(PENDING, "").put(LEGACY_PENDING, "").put(BACKUP_CODES, "")
                    .put(LAST_STEP, ""), null))
        .compose(updated -> updated == null
            ? Future.failedFuture(invalidCode())
            : Future.succeededFuture(new JsonObject().put("message", "2FA has been successfully disabled"))));
  }

  Future<JsonObject> status(String userId) {
    return user(userId).map(user -> {
      boolean enabled = isEnabled(user);
      JsonArray codes = user.getValue(BACKUP_CODES) instanceof JsonArray array ? array : new JsonArray();
      return new JsonObject()
          .put("two_factor_enabled", enabled)
          .put("setup_in_progress", !enabled && user.getString(PENDING) != null)
          .put("backup_codes_remaining", enabled ? codes.size() : 0);
    });
  }

  Future<JsonObject> regenerateBackupCodes(String userId, JsonObject body) {
    String code = sixDigits(body.getValue("code"));
    return user(userId).compose(user -> {
      if (!isEnabled(user)) {
        return Future.failedFuture(ApiException.badRequest("2FA is not enabled"));
      }
      List<String> codes = BackupCodes.generate();
      return check(user, code, false)
          .compose(proof -> proof == null
              ? Future.failedFuture(invalidCode())
              : users.updateIf(userId, and(isOn(), proof.condition()),
                  proof.set().copy().put(BACKUP_CODES, hashes(userId, codes)), null, null))
          .compose(updated -> updated == null
              ? Future.failedFuture(invalidCode())
              : Future.succeededFuture(new JsonObject()
                  .put("message", "Backup codes have been regenerated")
                  .put("backup_codes", new JsonArray(codes))
                  .put("warning", "Old backup codes are now invalid. Save these new codes securely.")));
    });
  }

  /**
   * The second factor of sign-in, for a user whose password was already verified: nothing for accounts without
   * 2FA; otherwise 401 {@code TWO_FACTOR_REQUIRED} without a code and 401 {@code INVALID_CREDENTIALS} for a wrong,
   * expired or used one. The proof must be applied with the sign-in's update.
   */
  Future<Proof> signInProof(JsonObject user, Object codeValue) {
    if (!isEnabled(user)) {
      return Future.succeededFuture(Proof.none());
    }
    if (codeValue == null || (codeValue instanceof String text && text.isBlank())) {
      return Future.failedFuture(new ApiException(ErrorCode.TWO_FACTOR_REQUIRED,
          "Two-factor authentication code required"));
    }
    if (!(codeValue instanceof String text)) {
      return Future.failedFuture(ApiException.validation("code must be a string", new JsonObject().put("field", "code")));
    }
    String code = text.trim();
    if (!Totp.isCode(code) && !BackupCodes.looksLike(code)) {
      return Future.failedFuture(invalidSignInCode());
    }
    return check(user, code, true).compose(proof -> proof == null
        ? Future.failedFuture(invalidSignInCode())
        : Future.succeededFuture(new Proof(and(isOn(), proof.condition()), proof.set(), proof.pull())));
  }

  static ApiException invalidSignInCode() {
    return new ApiException(ErrorCode.INVALID_CREDENTIALS, "Invalid two-factor authentication code");
  }

  /** Checks a TOTP code against the active secret, or (when allowed) a backup code; resolves to null when wrong. */
  private Future<Proof> check(JsonObject user, String code, boolean allowBackupCode) {
    String userId = MongoDocs.id(user);
    if (Totp.isCode(code)) {
      String stored = user.getString(SECRET);
      if (stored == null) {
        return Future.succeededFuture(null);
      }
      boolean legacy = !TwoFactorCrypto.isEncrypted(stored);
      String secret = legacy ? stored : crypto.decrypt(stored, userId);
      OptionalLong step = totp.match(secret, code, lastStep(user));
      if (step.isEmpty()) {
        return Future.succeededFuture(null);
      }
      JsonObject condition = stepAfter(step.getAsLong());
      JsonObject set = new JsonObject().put(LAST_STEP, step.getAsLong());
      if (legacy) {
        condition = and(condition, new JsonObject().put(SECRET, stored));
        set.put(SECRET, crypto.encrypt(secret, userId));
      }
      return Future.succeededFuture(new Proof(condition, set, null));
    }
    if (!allowBackupCode || !BackupCodes.looksLike(code)) {
      return Future.succeededFuture(null);
    }
    String normalized = BackupCodes.normalize(code);
    String hash = crypto.hashBackupCode(userId, normalized);
    List<String> legacyHashes = new ArrayList<>();
    JsonArray stored = user.getValue(BACKUP_CODES) instanceof JsonArray array ? array : new JsonArray();
    for (Object entry : stored) {
      if (entry instanceof String text && TwoFactorCrypto.sameHash(text, hash)) {
        return Future.succeededFuture(backupProof(text));
      }
      if (entry instanceof String text && text.startsWith("$2")) {
        legacyHashes.add(text);
      }
    }
    return legacyBackupCode(normalized, legacyHashes, 0).map(match -> match == null ? null : backupProof(match));
  }

  /** The original service's bcrypt-hashed backup codes, checked one at a time on worker threads. */
  private Future<String> legacyBackupCode(String normalized, List<String> hashes, int index) {
    if (index >= hashes.size()) {
      return Future.succeededFuture(null);
    }
    String candidate = hashes.get(index);
    return passwords.verify(normalized, candidate)
        .compose(valid -> valid ? Future.succeededFuture(candidate) : legacyBackupCode(normalized, hashes, index + 1));
  }

  private static Proof backupProof(String storedHash) {
    return new Proof(new JsonObject().put(BACKUP_CODES, storedHash), new JsonObject(),
        new JsonObject().put(BACKUP_CODES, storedHash));
  }

  private Future<JsonObject> user(String userId) {
    return users.findById(userId).compose(user -> user == null
        ? Future.failedFuture(ApiException.notFound("User not found"))
        : Future.succeededFuture(user));
  }

  private Future<Void> checkPassword(JsonObject user, String password) {
    return passwords.verify(password, user.getString("password_hash")).compose(valid -> valid
        ? Future.succeededFuture()
        : Future.failedFuture(new ApiException(ErrorCode.INVALID_CREDENTIALS, "Invalid password")));
  }

  private JsonArray hashes(String userId, List<String> codes) {
    return new JsonArray(codes.stream().map(code -> crypto.hashBackupCode(userId, BackupCodes.normalize(code))).toList());
  }

  static boolean isEnabled(JsonObject user) {
    return Boolean.TRUE.equals(user.getValue(ENABLED));
  }

  private static Long lastStep(JsonObject user) {
    return user.getValue(LAST_STEP) instanceof Number step ? step.longValue() : null;
  }

  private static JsonObject notEnabled() {
    return new JsonObject().put(ENABLED, new JsonObject().put("$ne", true));
  }

  private static JsonObject isOn() {
    return new JsonObject().put(ENABLED, true);
  }

  /** Matches while no step at or after {@code step} has been used (or none at all). */
  private static JsonObject stepAfter(long step) {
    return new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put(LAST_STEP, new JsonObject().put("$lt", step)))
        .add(new JsonObject().putNull(LAST_STEP)));
  }

  private static JsonObject and(JsonObject... conditions) {
    return new JsonObject().put("$and", new JsonArray(List.of((Object[]) conditions)));
  }

  private static String requiredString(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String text) || text.isEmpty()) {
      throw ApiException.validation(field + " is required", new JsonObject().put("field", field));
    }
    return text;
  }

  private static String sixDigits(Object value) {
    String code = value instanceof String text ? text.trim() : null;
    if (!Totp.isCode(code)) {
      throw ApiException.validation("Code must be 6 digits", new JsonObject().put("field", "code"));
    }
    return code;
  }

  private static String totpOrBackupCode(Object value) {
    String code = value instanceof String text ? text.trim() : null;
    if (!Totp.isCode(code) && !BackupCodes.looksLike(code)) {
      throw ApiException.validation("code must be a 6-digit code or a backup code (XXXX-XXXX)",
          new JsonObject().put("field", "code"));
    }
    return code;
  }

  private static ApiException invalidSetupCode() {
    return ApiException.badRequest("Invalid code. Please check your authenticator app and try again");
  }

  private static ApiException invalidCode() {
    return new ApiException(ErrorCode.INVALID_CREDENTIALS, "Invalid 2FA code");
  }
}
