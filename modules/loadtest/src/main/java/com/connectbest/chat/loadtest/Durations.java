package com.connectbest.chat.loadtest;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as typed on a command line: {@code 250us}, {@code 50ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
final class Durations {

  private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|h)");

  private Durations() {
  }

  static Duration parse(String text) {
    Matcher matcher = text == null ? null : TEXT.matcher(text.trim());
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 30s or 2m");
    }
    double amount = Double.parseDouble(matcher.group(1));
    double nanosPerUnit = switch (matcher.group(2)) {
      case "us" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
    return Duration.ofNanos(Math.round(amount * nanosPerUnit));
  }

  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
