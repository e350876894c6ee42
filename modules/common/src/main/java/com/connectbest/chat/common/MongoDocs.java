package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.regex.Pattern;

/** Conversions between Mongo's extended JSON (as vertx-mongo-client speaks it) and the API's JSON. */
public final class MongoDocs {

  private static final Pattern REGEX_SPECIALS = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

  private MongoDocs() {
  }

  public static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", isoText(instant));
  }

  /**
   * {@code {$gte: <the smallest ObjectId of that second>}}: a condition on {@code _id} that selects documents inserted
   * at or after the instant (an ObjectId starts with its creation second), answered by the {@code _id} index.
   */
  public static JsonObject insertedSince(java.time.Instant instant) {
    return new JsonObject().put("$gte", oid(String.format("%08x", Math.max(0, instant.getEpochSecond()))
        + "0000000000000000"));
  }

  public static JsonObject oid(String hex) {
    return new JsonObject().put("$oid", hex);
  }

  public static JsonObject byId(String hex) {
    return new JsonObject().put("_id", oid(hex));
  }

  /** A document's {@code _id} as a hex string: {@code find} returns a string, {@code aggregate} an {@code $oid}. */
  public static String id(JsonObject doc) {
    return hex(doc.getValue("_id"));
  }

  public static String hex(Object value) {
    if (value instanceof JsonObject object) {
      return object.getString("$oid");
    }
    return value == null ? null : value.toString();
  }

  public static Instant instant(Object value) {
    if (value instanceof JsonObject object) {
      value = object.getValue("$date");
    }
    if (value instanceof String text) {
      Instant utc = utcInstant(text);
      if (utc != null) {
        return utc;
      }
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
    if (value instanceof Number millis) {
      return Instant.ofEpochMilli(millis.longValue());
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    return null;
  }

  /**
   * The common form of a stored date, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, read without a DateTimeFormatter, or
   * null for any other text (which {@link #instant} then gives to {@code OffsetDateTime.parse}). Every date of every
   * document read goes through here, and the formatter's parse was an eighth of the server's CPU on a history page
   * (docs/performance.md). {@code MongoDocsDatesTest} compares both on random and edge values.
   */
  static Instant utcInstant(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z') {
      return null;
    }
    long seconds = utcEpochSecond(text);
    if (seconds == NOT_UTC) {
      return null;
    }
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21;
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      nanos = digits(text, 20, length - 1);
      if (nanos < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** What {@link #utcEpochSecond} answers for text that does not start with a UTC date and time. */
  private static final long NOT_UTC = Long.MIN_VALUE;

  /**
   * The epoch second of text's first 19 characters, {@code yyyy-MM-ddTHH:mm:ss}, checked field by field (a day of
   * that month, hours to 23, minutes and seconds to 59), or {@link #NOT_UTC}; the caller checks what follows. Shared
   * by {@link #utcInstant} and {@link #isoAsStored}, so that both accept exactly the same dates.
   */
  private static long utcEpochSecond(String text) {
    if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return NOT_UTC;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59
        || day > 28 && day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
      return NOT_UTC;
    }
    return java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second;
  }

  /** The decimal number in text[from, to), or -1 if any character there is not an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** ISO-8601 UTC text, second or millisecond precision as stored, or null. */
  public static String iso(Object value) {
    Object date = value instanceof JsonObject object ? object.getValue("$date") : value;
    if (date instanceof String text) {
      String same = isoAsStored(text);
      if (same != null) {
        return same;
      }
    }
    Instant instant = instant(value);
    return instant == null ? null : isoText(instant);
  }

  /**
   * A stored date as {@link #isoText} would write it, straight from its text, when that text is a UTC date with whole
   * seconds or one to three digits of fraction (the store's forms: milliseconds without trailing zeros), else null.
   * Four dates of every message rendered were parsed and written again, 7 % of a history page's CPU. The date and time
   * are checked as {@link #utcInstant} checks them ({@link #utcEpochSecond}), so any text it would reject takes the
   * long way; {@code MongoDocsDatesTest} compares both.
   */
  static String isoAsStored(String text) {
    int length = text.length();
    if (length != 20 && (length < 22 || length > 24) || text.charAt(length - 1) != 'Z'
        || utcEpochSecond(text) == NOT_UTC) {
      return null;
    }
    if (length == 20) {
      return text;
    }
    if (text.charAt(19) != '.' || digits(text, 20, length - 1) <= 0) {
      return null; // not a fraction, or a zero one (written without a fraction)
    }
    // ISO_INSTANT writes milliseconds as three digits: ".12Z" (as stored) is ".120Z"
    return length == 24 ? text : text.substring(0, length - 1) + (length == 23 ? "0Z" : "00Z");
  }

  /**
   * {@code instant.toString()} (ISO_INSTANT: fraction in groups of three digits, none for whole seconds), built
   * without the formatter for years 0–9999, the other half of the date work on every message rendered.
   * {@code MongoDocsDatesTest} compares both.
   */
  static String isoText(Instant instant) {
    long seconds = instant.getEpochSecond();
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return instant.toString();
    }
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    StringBuilder text = new StringBuilder(30);
    pad(text, date.getYear(), 4).append('-');
    pad(text, date.getMonthValue(), 2).append('-');
    pad(text, date.getDayOfMonth(), 2).append('T');
    pad(text, secondOfDay / 3600, 2).append(':');
    pad(text, secondOfDay / 60 % 60, 2).append(':');
    pad(text, secondOfDay % 60, 2);
    int nanos = instant.getNano();
    if (nanos != 0) {
      text.append('.');
      if (nanos % 1_000_000 == 0) {
        pad(text, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        pad(text, nanos / 1_000, 6);
      } else {
        pad(text, nanos, 9);
      }
    }
    return text.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(digits);
  }

  /**
   * Runs an upsert keyed by a unique index, and once more if it lost a race: two concurrent first upserts of one key
   * both find nothing and both insert, and the unique index fails the later one with a duplicate key; run again, it
   * finds the winner's document and updates it.
   */
  public static <T> Future<T> upsertRetried(java.util.function.Supplier<Future<T>> upsert) {
    return upsert.get().recover(err -> isDuplicateKey(err) ? upsert.get() : Future.failedFuture(err));
  }

  /** True for a unique-index violation (code 11000), from a real MongoDB or the embedded server. */
  public static boolean isDuplicateKey(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof com.mongodb.MongoException mongo && mongo.getCode() == 11000) {
        return true;
      }
      if (cause.getMessage() != null && cause.getMessage().contains("E11000")) {
        return true;
      }
    }
    return false;
  }

  /** A case-insensitive substring match for user input: every regex character is escaped, never interpreted. */
  public static JsonObject containsIgnoreCase(String text) {
    return new JsonObject().put("$regex", REGEX_SPECIALS.matcher(text).replaceAll("\\\\$0")).put("$options", "i");
  }

  /** True when the store could not be reached (down, unreachable, or no server selected in time). */
  public static boolean isUnavailable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof com.mongodb.MongoTimeoutException || cause instanceof com.mongodb.MongoSocketException
          || cause instanceof com.mongodb.MongoServerUnavailableException
          || cause instanceof com.mongodb.MongoClientException && cause.getMessage() != null
          && cause.getMessage().contains("closed")) {
        return true;
      }
    }
    return false;
  }
}
