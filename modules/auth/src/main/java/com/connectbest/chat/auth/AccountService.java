package com.connectbest.chat.auth;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registration, e-mail verification and password sign-in (with the second factor when 2FA is on). */
final class AccountService {

  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
  private static final Duration VERIFICATION_LIFETIME = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final UserStore users;
  private final PasswordHasher passwords;
  private final Mailer mailer;
  private final TokenIssuer tokens;
  private final EventBus bus;
  private final Set<String> adminEmails;
  private final TwoFactorService twoFactor;

  AccountService(UserStore users, PasswordHasher passwords, Mailer mailer, TokenIssuer tokens, EventBus bus,
                 List<String> adminEmails, TwoFactorService twoFactor) {
    this.users = users;
    this.twoFactor = twoFactor;
    this.passwords = passwords;
    this.mailer = mailer;
    this.tokens = tokens;
    this.bus = bus;
    this.adminEmails = Set.copyOf(adminEmails.stream().map(String::toLowerCase).toList());
  }

  Future<JsonObject> register(JsonObject body) {
    String email = UserRules.email(body.getValue("email"));
    String password = UserRules.password(body.getValue("password"));
    String name = UserRules.name(body.getValue("name"));
    String phone = UserRules.phone(body.getValue("phone"));
    String token = randomToken();
    Instant now = Instant.now();
    return users.findByEmail(email)
        .compose(existing -> existing != null
            ? Future.failedFuture(ApiException.conflict("User with this email already exists"))
            : passwords.hash(password))
        .compose(hash -> uniqueUsername(UserRules.usernameBase(email), 0).map(username -> new JsonObject()
            .put("email", email)
            .put("username", username)
            .put("password_hash", hash)
            .put("full_name", name)
            .put("phone", phone)
            .put("avatar", null)
            .put("role", adminEmails.contains(email) ? "admin" : "user")
            .put("status", "offline")
            .put("status_message", null)
            .put("email_verified", false)
            .put("verification_token", sha256(token))
            .put("verification_expires", MongoDocs.date(now.plus(VERIFICATION_LIFETIME)))
            .put("two_factor_enabled", false)
            .put("created_at", MongoDocs.date(now))
            .put("updated_at", MongoDocs.date(now))
            .put("last_login", null)))
        .compose(user -> users.insert(user).map(id -> user.put("_id", id)))
        .recover(err -> Future.failedFuture(MongoDocs.isDuplicateKey(err)
            ? ApiException.conflict("User with this email already exists") : err))
        .compose(user -> {
          bus.publish(Addresses.USER_REGISTERED, new JsonObject().put("user_id", MongoDocs.id(user)));
          return mailer.sendVerification(email, name, token)
              .recover(err -> {
                LOG.warn("Verification e-mail to {} could not be sent: {}", email, err.getMessage());
                return Future.succeededFuture(false);
              })
              .map(sent -> new JsonObject()
                  .put("message", registrationMessage(sent))
                  .put("user", UserViews.registered(user))
                  .put("email_sent", sent)
                  .put("next_step", "Use NextAuth to sign in after email verification"));
        });
  }

  Future<JsonObject> verifyEmail(JsonObject body) {
    Object token = body.getValue("token");
    if (!(token instanceof String text) || text.isBlank() || text.length() > 256) {
      return Future.failedFuture(ApiException.badRequest("Invalid or expired verification token"));
    }
    return users.findByVerificationToken(sha256(text.trim()), Instant.now())
        .compose(user -> user == null
            ? Future.failedFuture(ApiException.badRequest("Invalid or expired verification token"))
            : users.update(MongoDocs.id(user), new JsonObject().put("email_verified", true),
                new JsonObject().put("verification_token", "").put("verification_expires", "")))
        .map(user -> new JsonObject()
            .put("message", "Email verified successfully! You can now sign in using NextAuth.")
            .put("user", new JsonObject()
                .put("id", MongoDocs.id(user))
                .put("email", user.getString("email"))
                .put("email_verified", true))
            .put("next_step", "Sign in at /login using your email and password or Google OAuth"));
  }

  Future<JsonObject> login(JsonObject body) {
    Object emailValue = body.getValue("email");
    Object passwordValue = body.getValue("password");
    if (!(emailValue instanceof String rawEmail) || !(passwordValue instanceof String password)) {
      return Future.failedFuture(ApiException.validation("email and password are required", null));
    }
    String email = rawEmail.trim().toLowerCase();
    return users.findByEmail(email).compose(user -> passwords
        .verify(password, user == null ? null : user.getString("password_hash"))
        .compose(valid -> {
          if (!valid || user == null) {
            return Future.failedFuture(new ApiException(ErrorCode.INVALID_CREDENTIALS, "Invalid email or password"));
          }
          // Only now, with the password known to be right, may the answer reveal that a second factor is needed.
          return twoFactor.signInProof(user, body.getValue("code"))
              .compose(proof -> users.updateIf(MongoDocs.id(user), proof.condition(),
                  proof.set().copy().put("last_login", MongoDocs.date(Instant.now())), null, proof.pull()))
              .compose(updated -> updated == null
                  ? Future.failedFuture(TwoFactorService.invalidSignInCode())
                  : Future.succeededFuture(updated));
        })
        .map(signedIn -> new JsonObject()
            .put("token", tokens.issue(signedIn))
            .put("token_type", "Bearer")
            .put("expires_in", tokens.expiresInSeconds())
            .put("user", UserViews.profile(signedIn))));
  }

  /**
   * A new password, given the current one; every token issued before now stops working (the caller's other
   * sessions included), and a fresh token keeps this client signed in.
   */
  Future<JsonObject> changePassword(String userId, JsonObject body) {
    String next = UserRules.password(body.getValue("new_password"));
    Object current = body.getValue("current_password");
    if (!(current instanceof String currentPassword)) {
      throw ApiException.validation("current_password is required", new JsonObject().put("field", "current_password"));
    }
    Instant[] validAfter = new Instant[1];
    return users.findById(userId).compose(user -> {
      if (user == null) {
        return Future.failedFuture(ApiException.notFound("User not found"));
      }
      return passwords.verify(currentPassword, user.getString("password_hash")).compose(valid -> valid
          ? passwords.hash(next)
          : Future.failedFuture(ApiException.validation("Current password is incorrect",
              new JsonObject().put("field", "current_password"))));
    }).compose(hash -> users.update(userId, new JsonObject().put("password_hash", hash)
        .put("tokens_valid_after", MongoDocs.date(validAfter[0] = Instant.now())), null))
    .map(updated -> {
      bus.publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", userId));
      ProfileService.revoked(bus, userId, validAfter[0], "password_changed");
      return new JsonObject()
          .put("message", "Password changed; other sessions were signed out")
          .put("token", tokens.issue(updated))
          .put("token_type", "Bearer")
          .put("expires_in", tokens.expiresInSeconds());
    });
  }

  private String registrationMessage(boolean sent) {
    if (sent) {
      return "Registration successful! Please check your email to verify your account.";
    }
    return mailer.configured()
        ? "Registration successful! The verification e-mail could not be sent; ask an administrator."
        : "Registration successful! No mail server is configured; the verification link is in the server log.";
  }

  private Future<String> uniqueUsername(String base, int attempt) {
    String candidate = attempt == 0 ? base : base + (attempt < 5 ? attempt + 1 : RANDOM.nextInt(1_000_000));
    return users.usernameTaken(candidate)
        .compose(taken -> !taken ? Future.succeededFuture(candidate)
            : attempt >= 20 ? Future.failedFuture(ApiException.conflict("Could not derive a unique username"))
            : uniqueUsername(base, attempt + 1));
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
