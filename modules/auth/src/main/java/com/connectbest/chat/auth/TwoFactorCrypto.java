package com.connectbest.chat.auth;

import com.connectbest.chat.common.Settings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server-side keys of two-factor authentication, both derived with HKDF-SHA256 from one configured string
 * ({@value #KEY_SETTING}, else the JWT secret):
 * <ul>
 *   <li>TOTP secrets are encrypted with AES-256-GCM, a random 96-bit IV per encryption, and the user's id as
 *   associated data (a ciphertext copied onto another account does not decrypt). Stored as
 *   {@code v1:<base64(iv | ciphertext | tag)>}.</li>
 *   <li>Backup codes are stored as HMAC-SHA256 of {@code <user id>:<code>} under a second key, hex.</li>
 * </ul>
 */
final class TwoFactorCrypto {

  static final String KEY_SETTING = "TWO_FACTOR_ENCRYPTION_KEY";
  static final String PREFIX = "v1:";
  private static final byte[] SALT = "ConnectBest Chat two-factor".getBytes(StandardCharsets.UTF_8);
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec encryptionKey;
  private final SecretKeySpec hashKey;

  TwoFactorCrypto(String keyMaterial) {
    if (keyMaterial == null || keyMaterial.isEmpty()) {
      throw new IllegalArgumentException("two-factor key material must not be empty");
    }
    byte[] ikm = keyMaterial.getBytes(StandardCharsets.UTF_8);
    encryptionKey = new SecretKeySpec(hkdf(SALT, ikm, utf8("totp-secret aes-256-gcm v1"), 32), "AES");
    hashKey = new SecretKeySpec(hkdf(SALT, ikm, utf8("backup-code hmac-sha256 v1"), 32), "HmacSHA256");
  }

  static TwoFactorCrypto fromSettings(Settings settings) {
    return new TwoFactorCrypto(settings.string(KEY_SETTING, settings.jwtSecret()));
  }

  static boolean isEncrypted(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  String encrypt(String plaintext, String userId) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
          .put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The plaintext; {@link IllegalStateException} when the value was not sealed with this key for this user. */
  String decrypt(String stored, String userId) {
    if (!isEncrypted(stored)) {
      throw new IllegalStateException("not an encrypted two-factor secret");
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      if (all.length < IV_BYTES + TAG_BITS / 8) {
        throw new IllegalStateException("truncated two-factor secret");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
      cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("The two-factor secret cannot be decrypted (was "
          + KEY_SETTING + " or the JWT secret changed?)", e);
    }
  }

  /** The stored form of a backup code (normalised: upper case, no dash). */
  String hashBackupCode(String userId, String normalizedCode) {
    return HexFormat.of().formatHex(hmac(hashKey, utf8(userId + ":" + normalizedCode)));
  }

  static boolean sameHash(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  /** RFC 5869 HKDF-SHA256 (extract, then expand). */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] infoBytes, int length) {
    byte[] prk = hmac(new SecretKeySpec(salt, "HmacSHA256"), ikm);
    SecretKeySpec prkKey = new SecretKeySpec(prk, "HmacSHA256");
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      byte[] input = ByteBuffer.allocate(previous.length + infoBytes.length + 1)
          .put(previous).put(infoBytes).put((byte) counter).array();
      previous = hmac(prkKey, input);
      int n = Math.min(previous.length, length - written);
      System.arraycopy(previous, 0, out, written, n);
      written += n;
    }
    Arrays.fill(prk, (byte) 0);
    return out;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
