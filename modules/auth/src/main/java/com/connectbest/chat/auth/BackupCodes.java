package com.connectbest.chat.auth;

import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Single-use recovery codes {@code XXXX-XXXX} of A–Z and 0–9 (about 41 bits each), shown to the user only once. */
final class BackupCodes {

  static final int COUNT = 10;
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final Pattern INPUT = Pattern.compile("[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private BackupCodes() {
  }

  /** {@link #COUNT} distinct new codes, as displayed ({@code XXXX-XXXX}). */
  static List<String> generate() {
    Set<String> codes = new LinkedHashSet<>();
    while (codes.size() < COUNT) {
      StringBuilder code = new StringBuilder(9);
      for (int i = 0; i < 8; i++) {
        if (i == 4) {
          code.append('-');
        }
        code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
      }
      codes.add(code.toString());
    }
    return List.copyOf(codes);
  }

  /** Whether the text has the shape of a backup code (dash optional, any case). */
  static boolean looksLike(String text) {
    return text != null && INPUT.matcher(text).matches();
  }

  /** The form that is hashed: upper case, no dash ({@code ABCD-1234} and {@code abcd1234} are the same code). */
  static String normalize(String text) {
    return text.replace("-", "").toUpperCase(Locale.ROOT);
  }
}
