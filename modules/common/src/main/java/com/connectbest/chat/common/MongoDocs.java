package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.regex.Pattern;

/** Conversions between Mongo's extended JSON (as vertx-mongo-client speaks it) and the API's JSON. */
public final class MongoDocs {

  private static final Pattern REGEX_SPECIALS = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

  private MongoDocs() {
  }

  public static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
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

  /** ISO-8601 UTC text, second or millisecond precision as stored, or null. */
  public static String iso(Object value) {
    Instant instant = instant(value);
    return instant == null ? null : instant.toString();
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
