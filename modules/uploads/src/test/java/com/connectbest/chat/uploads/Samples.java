package com.connectbest.chat.uploads;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** File contents for tests: real signatures followed by deterministic filler. */
final class Samples {

  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H',
      'D', 'R'};

  private Samples() {
  }

  /** The signature, then pseudo-random bytes up to {@code size}. */
  static Buffer withPrefix(byte[] prefix, int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    System.arraycopy(prefix, 0, bytes, 0, Math.min(prefix.length, size));
    return Buffer.buffer(bytes);
  }

  static Buffer png(int size) {
    return withPrefix(PNG_SIGNATURE, size, size);
  }

  static Buffer ascii(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Printable text of the given size (no NUL anywhere). */
  static Buffer text(int size) {
    StringBuilder builder = new StringBuilder(size);
    String line = "name,amount,comment\n";
    while (builder.length() < size) {
      builder.append(line);
    }
    return Buffer.buffer(builder.substring(0, size).getBytes(StandardCharsets.US_ASCII));
  }
}
