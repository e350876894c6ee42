package com.connectbest.chat.auth;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP as authenticator apps expect it (RFC 6238): a 160-bit base32 secret, HMAC-SHA1, 6 digits, 30-second steps,
 * accepted one step either side of now. Time comes from an injectable {@link Clock}.
 */
final class Totp {

  static final String ISSUER = "ConnectBest";
  static final Duration STEP = Duration.ofSeconds(30);
  static final int WINDOW = 1;
  private static final int SECRET_BYTES = 20;
  private static final Pattern SIX_DIGITS = Pattern.compile("[0-9]{6}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TimeBasedOneTimePasswordGenerator generator =
      new TimeBasedOneTimePasswordGenerator(STEP, 6, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
  private final Clock clock;

  Totp(Clock clock) {
    this.clock = clock;
  }

  static boolean isCode(String code) {
    return code != null && SIX_DIGITS.matcher(code).matches();
  }

  /** A new random secret, base32 without padding (32 characters). */
  static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return Base32.encode(bytes);
  }

  /** The secret as shown for manual entry: groups of four characters. */
  static String display(String secret) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < secret.length(); i += 4) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(secret, i, Math.min(secret.length(), i + 4));
    }
    return out.toString();
  }

  /** {@code otpauth://totp/ConnectBest:<email>?secret=...&issuer=ConnectBest}, the label percent-encoded. */
  static String provisioningUri(String secret, String email) {
    return "otpauth://totp/" + ISSUER + ":" + label(email) + "?secret=" + secret + "&issuer=" + ISSUER;
  }

  long currentStep() {
    return Math.floorDiv(clock.millis(), STEP.toMillis());
  }

  /**
   * The time step whose code this is, within the window around now and strictly after {@code lastUsedStep}
   * (so that no code is accepted twice); empty when the code is wrong, expired or already used.
   */
  OptionalLong match(String secret, String code, Long lastUsedStep) {
    if (!isCode(code) || secret == null) {
      return OptionalLong.empty();
    }
    SecretKeySpec key = key(secret);
    byte[] given = code.getBytes(StandardCharsets.US_ASCII);
    long now = currentStep();
    for (long step = now - WINDOW; step <= now + WINDOW; step++) {
      if (lastUsedStep != null && step <= lastUsedStep) {
        continue;
      }
      if (MessageDigest.isEqual(given, codeAt(key, step).getBytes(StandardCharsets.US_ASCII))) {
        return OptionalLong.of(step);
      }
    }
    return OptionalLong.empty();
  }

  private String codeAt(SecretKeySpec key, long step) {
    try {
      return generator.generateOneTimePasswordString(key, Instant.ofEpochMilli(step * STEP.toMillis()), Locale.ROOT);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SecretKeySpec key(String secret) {
    byte[] bytes = Base32.decode(secret);
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty TOTP secret");
    }
    return new SecretKeySpec(bytes, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
  }

  private static String label(String email) {
    StringBuilder out = new StringBuilder();
    for (byte b : email.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
