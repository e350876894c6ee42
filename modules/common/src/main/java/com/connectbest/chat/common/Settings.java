package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the flat configuration every verticle receives: the keys of {@code conf/config.json}, which are the
 * environment variable names that override them (so values may arrive as text).
 */
public record Settings(JsonObject config) {

  /** The secret the original service shipped with; refused in production. */
  public static final String DEVELOPMENT_SECRET = "development-secret-change-in-production";

  /** The HS256 secret: JWT_SECRET_KEY, else NEXTAUTH_SECRET (as the original frontend signs), else the dev default. */
  public String jwtSecret() {
    return string("JWT_SECRET_KEY", string("NEXTAUTH_SECRET", DEVELOPMENT_SECRET));
  }

  public String string(String key, String fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? fallback : text;
  }

  public int integer(String key, int fallback) {
    return (int) number(key, fallback);
  }

  public long number(String key, long fallback) {
    Object value = config.getValue(key);
    if (value instanceof Number n) {
      return n.longValue();
    }
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Setting " + key + " must be a whole number, not '" + text + "'");
    }
  }

  public boolean bool(String key, boolean fallback) {
    Object value = config.getValue(key);
    if (value instanceof Boolean b) {
      return b;
    }
    String text = string(key, null);
    return text == null ? fallback : Boolean.parseBoolean(text) || "1".equals(text) || "yes".equalsIgnoreCase(text);
  }

  /** A JSON object or array: as written in the file, or decoded from an environment variable's text. */
  public Object json(String key) {
    Object value = config.getValue(key);
    if (value instanceof String text && !text.isBlank()) {
      try {
        return io.vertx.core.json.Json.decodeValue(text);
      } catch (io.vertx.core.json.DecodeException e) {
        throw new IllegalArgumentException(key + " is not valid JSON: " + e.getMessage(), e);
      }
    }
    return value;
  }

  /** A comma-separated list (or a JSON array in the file). */
  public List<String> list(String key) {
    Object value = config.getValue(key);
    if (value instanceof io.vertx.core.json.JsonArray array) {
      return array.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    String text = string(key, null);
    if (text == null) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
