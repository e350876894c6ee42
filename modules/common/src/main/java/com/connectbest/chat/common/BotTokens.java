package com.connectbest.chat.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secrets of integrations: incoming-hook tokens ({@value #HOOK_PREFIX}) and bot tokens ({@value #BOT_PREFIX}).
 * They are shown once and stored only as their SHA-256 (high-entropy random values need no slow hash), so a copy
 * of the database reveals no usable token. The prefix tells the gateway which kind of secret a caller presents.
 */
public final class BotTokens {

  public static final String HOOK_PREFIX = "cbh_";
  public static final String BOT_PREFIX = "cbb_";
  /** 32 random bytes, base64url: 43 characters after the prefix. */
  private static final int BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private BotTokens() {
  }

  public static String newToken(String prefix) {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of a token: its SHA-256, hex. */
  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the text has the shape of a token of that kind (cheap refusal before any lookup). */
  public static boolean looksLike(String text, String prefix) {
    return text != null && text.length() == prefix.length() + 43 && text.startsWith(prefix)
        && text.substring(prefix.length()).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
  }
}
