package com.connectbest.chat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code login} once 2FA is on: the second factor, its error codes and single use. */
@ExtendWith(VertxExtension.class)
class TwoFactorSignInTest {

  private TwoFactorHarness harness;
  private Principal ann;
  private String secret;
  private List<String> backupCodes;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new TwoFactorHarness(vertx);
    ann = harness.register("ann@example.com");
    JsonObject enabled = harness.enable(ann);
    secret = enabled.getString("secret");
    backupCodes = enabled.getJsonArray("backup_codes").stream().map(String.class::cast).toList();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ApiException loginFails(ErrorCode code, JsonObject body) {
    return harness.fails(401, code, "login", null, body);
  }

  @Test
  @DisplayName("signing in without a code answers 401 TWO_FACTOR_REQUIRED, saying a code is needed")
  void codeRequired() {
    ApiException error = loginFails(ErrorCode.TWO_FACTOR_REQUIRED, harness.loginBody(ann, null));
    assertEquals("Two-factor authentication code required", error.getMessage());
    loginFails(ErrorCode.TWO_FACTOR_REQUIRED, harness.loginBody(ann, ""));
    loginFails(ErrorCode.TWO_FACTOR_REQUIRED, harness.loginBody(ann, "   "));
  }

  @Test
  @DisplayName("a wrong password never reveals 2FA: the same INVALID_CREDENTIALS as any account, and the code is not spent")
  void wrongPasswordFirst() {
    Principal plain = harness.register("plain@example.com");
    String plainMessage = loginFails(ErrorCode.INVALID_CREDENTIALS,
        new JsonObject().put("email", plain.email()).put("password", "WrongPass123")).getMessage();
    String valid = harness.code(secret, 1);
    for (String code : new String[] {null, valid, backupCodes.get(0)}) {
      JsonObject body = harness.loginBody(ann, code).put("password", "WrongPass123");
      assertEquals(plainMessage, loginFails(ErrorCode.INVALID_CREDENTIALS, body).getMessage());
    }
    harness.ok("login", null, harness.loginBody(ann, valid));
    harness.ok("login", null, harness.loginBody(ann, backupCodes.get(0)));
  }

  @Test
  @DisplayName("a wrong or malformed code answers 401 INVALID_CREDENTIALS")
  void wrongCode() {
    for (String code : List.of(harness.wrongCode(secret), "ZZZZ-ZZZZ", "nonsense", "1234567")) {
      ApiException error = loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, code));
      assertEquals("Invalid two-factor authentication code", error.getMessage());
    }
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "login", null, harness.loginBody(ann, null).put("code", 123456));
  }

  @Test
  @DisplayName("a current TOTP code signs in and returns a token for the user")
  void totpSignsIn() {
    JsonObject reply = harness.ok("login", null, harness.loginBody(ann, harness.code(secret, 1)));
    assertNotNull(reply.getString("token"));
    assertEquals("Bearer", reply.getString("token_type"));
    assertEquals(ann.id(), reply.getJsonObject("user").getString("id"));
    assertTrue(reply.getJsonObject("user").getBoolean("two_factor_enabled"));
    assertNotNull(harness.document(ann).getValue("last_login"));
  }

  @Test
  @DisplayName("a TOTP code is never accepted twice: the setup code, a used code and older steps are refused")
  void noReplay() {
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, harness.code(secret, 0)));
    String next = harness.code(secret, 1);
    harness.ok("login", null, harness.loginBody(ann, next));
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, next));
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, harness.code(secret, -1)));
    harness.clock.advance(Duration.ofSeconds(30));
    // 'next' is now the current step's code, still inside the window, and still spent.
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, next));
    harness.ok("login", null, harness.loginBody(ann, harness.code(secret, 1)));
    assertEquals(harness.clock.millis() / 30_000 + 1, harness.document(ann).getLong(TwoFactorService.LAST_STEP));
  }

  @Test
  @DisplayName("a code two steps old has expired, even if never used")
  void expired() {
    String code = harness.code(secret, 1);
    harness.clock.advance(Duration.ofSeconds(90));
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, code));
  }

  @Test
  @DisplayName("of several simultaneous sign-ins with one code, exactly one succeeds")
  void concurrentReplay() {
    String code = harness.code(secret, 1);
    List<Future<ServiceReply>> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attempts.add(harness.send("login", null, null, harness.loginBody(ann, code)));
    }
    Future.join(attempts).transform(done -> Future.succeededFuture()).await();
    assertEquals(1, attempts.stream().filter(Future::succeeded).count());
    attempts.stream().filter(Future::failed).forEach(failed ->
        assertEquals(ErrorCode.INVALID_CREDENTIALS, ((ApiException) failed.cause()).code()));
  }

  @Test
  @DisplayName("a backup code signs in exactly once, in any case and with or without the dash")
  void backupCodeOnce() {
    String code = backupCodes.get(3);
    harness.ok("login", null, harness.loginBody(ann, code.toLowerCase().replace("-", "")));
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, code));
    assertEquals(9, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));
    harness.ok("login", null, harness.loginBody(ann, backupCodes.get(4)));
    assertEquals(8, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));
  }

  @Test
  @DisplayName("of several simultaneous sign-ins with one backup code, exactly one succeeds")
  void concurrentBackupCode() {
    List<Future<ServiceReply>> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attempts.add(harness.send("login", null, null, harness.loginBody(ann, backupCodes.get(0))));
    }
    Future.join(attempts).transform(done -> Future.succeededFuture()).await();
    assertEquals(1, attempts.stream().filter(Future::succeeded).count());
  }

  @Test
  @DisplayName("another user's backup code does not work")
  void otherUsersBackupCode() {
    Principal bob = harness.register("bob@example.com");
    String bobsCode = harness.enable(bob).getJsonArray("backup_codes").getString(0);
    loginFails(ErrorCode.INVALID_CREDENTIALS, harness.loginBody(ann, bobsCode));
    harness.ok("login", null, harness.loginBody(bob, bobsCode));
  }

  @Test
  @DisplayName("accounts without 2FA sign in without a code, and a code sent anyway is ignored")
  void without2fa() {
    Principal plain = harness.register("plain@example.com");
    harness.ok("login", null, harness.loginBody(plain, null));
    harness.ok("login", null, harness.loginBody(plain, "123456"));
  }
}
