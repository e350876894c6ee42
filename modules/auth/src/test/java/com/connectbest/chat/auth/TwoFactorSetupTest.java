package com.connectbest.chat.auth;

import static com.connectbest.chat.auth.TwoFactorHarness.PASSWORD;
import static com.connectbest.chat.auth.TwoFactorHarness.secretOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.Principal;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code setupTwoFactor} and {@code verifyTwoFactorSetup} over the event bus. */
@ExtendWith(VertxExtension.class)
class TwoFactorSetupTest {

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

  @Test
  @DisplayName("setup with a wrong password answers 401 INVALID_CREDENTIALS and stores no secret")
  void setupWrongPassword() {
    harness.fails(401, ErrorCode.INVALID_CREDENTIALS, "setupTwoFactor", ann,
        new JsonObject().put("password", "WrongPass123"));
    assertNull(harness.document(ann).getValue(TwoFactorService.PENDING));
    assertFalse(harness.ok("getTwoFactorStatus", ann, null).getBoolean("setup_in_progress"));
  }

  @Test
  @DisplayName("setup without a password (or with a non-string one) answers 400")
  void setupNeedsPassword() {
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "setupTwoFactor", ann, new JsonObject());
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "setupTwoFactor", ann, new JsonObject().put("password", 12345678));
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "setupTwoFactor", ann, null);
  }

  @Test
  @DisplayName("setup when 2FA is already on answers 400 even with the right password, and keeps the active secret")
  void setupWhenEnabled() {
    harness.enable(ann);
    String active = harness.document(ann).getString(TwoFactorService.SECRET);
    harness.fails(400, ErrorCode.BAD_REQUEST, "setupTwoFactor", ann, new JsonObject().put("password", PASSWORD));
    JsonObject doc = harness.document(ann);
    assertEquals(active, doc.getString(TwoFactorService.SECRET));
    assertNull(doc.getValue(TwoFactorService.PENDING));
  }

  @Test
  @DisplayName("setup answers the spec's message, a base32 secret in groups of four and the three instructions")
  void setupReply() {
    JsonObject reply = harness.setup(ann);
    assertEquals("Scan the QR code with your authenticator app", reply.getString("message"));
    assertTrue(reply.getString("secret").matches("([A-Z2-7]{4} ){7}[A-Z2-7]{4}"), reply.getString("secret"));
    assertEquals(new JsonArray(List.of(
        "1. Download Google Authenticator, Authy, or similar app",
        "2. Scan the QR code or enter the secret manually",
        "3. Enter the 6-digit code from your app to complete setup")), reply.getJsonArray("instructions"));
    assertEquals(new HashSet<>(List.of("message", "qr_code", "secret", "instructions")), reply.fieldNames());
  }

  @Test
  @DisplayName("the QR code is a PNG that ZXing decodes back to the otpauth URI of the returned secret")
  void qrCodeDecodes() throws Exception {
    JsonObject reply = harness.setup(ann);
    String qr = reply.getString("qr_code");
    assertTrue(qr.startsWith("data:image/png;base64,"), qr);
    byte[] png = Base64.getDecoder().decode(qr.substring("data:image/png;base64,".length()));
    assertTrue(Arrays.equals(Arrays.copyOf(png, 8), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    String text = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
        .getText();
    assertEquals("otpauth://totp/ConnectBest:ann@example.com?secret=" + secretOf(reply) + "&issuer=ConnectBest", text);
  }

  @Test
  @DisplayName("the pending secret is stored AES-GCM encrypted under the JWT-derived key, and 2FA stays off until verified")
  void pendingSecretEncrypted() {
    String secret = secretOf(harness.setup(ann));
    JsonObject doc = harness.document(ann);
    String stored = doc.getString(TwoFactorService.PENDING);
    assertNotEquals(secret, stored);
    assertFalse(stored.contains(secret));
    assertTrue(stored.startsWith("v1:"));
    assertEquals(secret, new TwoFactorCrypto(TwoFactorHarness.JWT_SECRET).decrypt(stored, ann.id()));
    assertNull(doc.getValue(TwoFactorService.SECRET));
    assertFalse(doc.getBoolean(TwoFactorService.ENABLED));
    JsonObject status = harness.ok("getTwoFactorStatus", ann, null);
    assertFalse(status.getBoolean("two_factor_enabled"));
    assertTrue(status.getBoolean("setup_in_progress"));
    harness.ok("login", null, harness.loginBody(ann, null));
  }

  @Test
  @DisplayName("a second setup replaces the pending secret: the first secret's codes no longer verify")
  void secondSetupReplaces() {
    String first = secretOf(harness.setup(ann));
    String second = secretOf(harness.setup(ann));
    assertNotEquals(first, second);
    harness.fails(400, ErrorCode.BAD_REQUEST, "verifyTwoFactorSetup", ann,
        new JsonObject().put("code", harness.code(first, 0)));
    harness.ok("verifyTwoFactorSetup", ann, new JsonObject().put("code", harness.code(second, 0)));
  }

  static Stream<Arguments> malformedCodes() {
    return Stream.of(Arguments.of("12345"), Arguments.of("1234567"), Arguments.of("abcdef"), Arguments.of("12 345"),
        Arguments.of("ABCD-1234"), Arguments.of(""), Arguments.of(123456), Arguments.of((Object) null));
  }

  @ParameterizedTest
  @MethodSource("malformedCodes")
  @DisplayName("verify-setup refuses a code that is not 6 digits with a 400 validation error, before any check")
  void verifySetupFormat(Object code) {
    JsonObject body = new JsonObject().put("code", code);
    // No setup in progress: a format error still comes first.
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "verifyTwoFactorSetup", ann, body);
    String secret = secretOf(harness.setup(ann));
    harness.fails(400, ErrorCode.VALIDATION_ERROR, "verifyTwoFactorSetup", ann, body);
    assertNull(harness.document(ann).getValue(TwoFactorService.LAST_STEP), "nothing was checked or recorded");
    harness.ok("verifyTwoFactorSetup", ann, new JsonObject().put("code", harness.code(secret, 0)));
  }

  @Test
  @DisplayName("verify-setup without a setup in progress answers 400")
  void verifyWithoutSetup() {
    assertEquals("No 2FA setup in progress. Please start setup first.", harness.fails(400, ErrorCode.BAD_REQUEST,
        "verifyTwoFactorSetup", ann, new JsonObject().put("code", "123456")).getMessage());
  }

  @Test
  @DisplayName("verify-setup with a wrong code answers 400 and leaves 2FA off with the setup still pending")
  void verifyWrongCode() {
    String secret = secretOf(harness.setup(ann));
    harness.fails(400, ErrorCode.BAD_REQUEST, "verifyTwoFactorSetup", ann,
        new JsonObject().put("code", harness.wrongCode(secret)));
    JsonObject status = harness.ok("getTwoFactorStatus", ann, null);
    assertFalse(status.getBoolean("two_factor_enabled"));
    assertTrue(status.getBoolean("setup_in_progress"));
  }

  @Test
  @DisplayName("verify-setup enables 2FA, activates the same secret and returns 10 distinct XXXX-XXXX codes stored as hashes")
  void verifyEnables() {
    String secret = secretOf(harness.setup(ann));
    String pending = harness.document(ann).getString(TwoFactorService.PENDING);
    JsonObject reply = harness.ok("verifyTwoFactorSetup", ann, new JsonObject().put("code", harness.code(secret, 0)));
    assertEquals("2FA has been successfully enabled", reply.getString("message"));
    assertEquals("Save these backup codes in a secure place. Each code can only be used once.", reply.getString("warning"));
    List<String> codes = reply.getJsonArray("backup_codes").stream().map(String.class::cast).toList();
    assertEquals(10, codes.size());
    assertEquals(10, new HashSet<>(codes).size());
    codes.forEach(code -> assertTrue(code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}"), code));

    JsonObject doc = harness.document(ann);
    assertTrue(doc.getBoolean(TwoFactorService.ENABLED));
    assertEquals(pending, doc.getString(TwoFactorService.SECRET));
    assertNull(doc.getValue(TwoFactorService.PENDING));
    assertEquals(harness.clock.millis() / 30_000, doc.getLong(TwoFactorService.LAST_STEP));
    JsonArray stored = doc.getJsonArray(TwoFactorService.BACKUP_CODES);
    assertEquals(10, stored.size());
    TwoFactorCrypto crypto = new TwoFactorCrypto(TwoFactorHarness.JWT_SECRET);
    for (String code : codes) {
      assertFalse(stored.encode().contains(code) || stored.encode().contains(code.replace("-", "")), "plain code stored");
      assertTrue(stored.contains(crypto.hashBackupCode(ann.id(), code.replace("-", ""))), "HMAC of " + code);
    }
    stored.forEach(hash -> assertTrue(((String) hash).matches("[0-9a-f]{64}")));

    JsonObject status = harness.ok("getTwoFactorStatus", ann, null);
    assertEquals(new JsonObject().put("two_factor_enabled", true).put("setup_in_progress", false)
        .put("backup_codes_remaining", 10), status);
    assertTrue(harness.ok("getCurrentUser", ann, null).getJsonObject("user").getBoolean("two_factor_enabled"));
  }

  @Test
  @DisplayName("verify-setup once 2FA is on answers 400: the setup cannot be confirmed twice to mint more codes")
  void verifyTwice() {
    JsonObject enabled = harness.enable(ann);
    harness.fails(400, ErrorCode.BAD_REQUEST, "verifyTwoFactorSetup", ann,
        new JsonObject().put("code", harness.code(enabled.getString("secret"), 1)));
    assertEquals(10, harness.ok("getTwoFactorStatus", ann, null).getInteger("backup_codes_remaining"));
  }

  @ParameterizedTest(name = "{0} steps from now: accepted = {1}")
  @MethodSource("offsets")
  @DisplayName("codes one step before or after now are accepted, two steps away refused")
  void window(int steps, boolean accepted) {
    String secret = secretOf(harness.setup(ann));
    JsonObject body = new JsonObject().put("code", harness.code(secret, steps));
    assumeTrue(accepted || !harness.validNow(secret, body.getString("code")), "random code collision");
    if (accepted) {
      harness.ok("verifyTwoFactorSetup", ann, body);
    } else {
      harness.fails(400, ErrorCode.BAD_REQUEST, "verifyTwoFactorSetup", ann, body);
    }
  }

  static Stream<Arguments> offsets() {
    return Stream.of(Arguments.of(-2, false), Arguments.of(-1, true), Arguments.of(0, true), Arguments.of(1, true),
        Arguments.of(2, false), Arguments.of(-20, false), Arguments.of(20, false));
  }

  @Test
  @DisplayName("with the clock at a step's last second, the previous step still counts and the one after next does not")
  void windowAtBoundary() {
    harness.clock.set(java.time.Instant.parse("2025-01-15T10:30:29.999Z"));
    String secret = secretOf(harness.setup(ann));
    String earlier = TwoFactorHarness.codeAt(secret, java.time.Instant.parse("2025-01-15T10:29:30Z"));
    String tooLate = TwoFactorHarness.codeAt(secret, java.time.Instant.parse("2025-01-15T10:31:30Z"));
    String tooEarly = TwoFactorHarness.codeAt(secret, java.time.Instant.parse("2025-01-15T10:29:29Z"));
    assumeFalse(harness.validNow(secret, tooLate) || harness.validNow(secret, tooEarly), "random code collision");
    harness.fails(400, ErrorCode.BAD_REQUEST, "verifyTwoFactorSetup", ann, new JsonObject().put("code", tooLate));
    harness.fails(400, ErrorCode.BAD_REQUEST, "verifyTwoFactorSetup", ann, new JsonObject().put("code", tooEarly));
    harness.ok("verifyTwoFactorSetup", ann, new JsonObject().put("code", earlier));
  }
}
