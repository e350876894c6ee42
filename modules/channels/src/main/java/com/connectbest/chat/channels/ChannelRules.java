package com.connectbest.chat.channels;

import com.connectbest.chat.common.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of channel input, as the contract states it, enforced where channels are owned. */
final class ChannelRules {

  static final Set<String> TYPES = Set.of("public", "private");
  static final String DM_PREFIX = "dm_";
  static final int MAX_DESCRIPTION = 500;

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,80}$");

  private ChannelRules() {
  }

  static String name(Object value) {
    String name = value instanceof String text ? text.trim() : "";
    if (!NAME.matcher(name).matches()) {
      throw invalid("name", "Invalid channel name (must be 1-80 letters, digits, hyphens or underscores)");
    }
    if (lower(name).startsWith(DM_PREFIX)) {
      throw invalid("name", "Channel names starting with dm_ are reserved for direct messages");
    }
    return name;
  }

  static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  static String description(Object value) {
    if (value == null) {
      return "";
    }
    if (!(value instanceof String text)) {
      throw invalid("description", "Description must be text");
    }
    // at most 500 characters as given (code points, as the schema's maxLength counts them), stored trimmed
    String description = text.trim();
    if (text.codePointCount(0, text.length()) > MAX_DESCRIPTION) {
      throw invalid("description", "Description must be at most " + MAX_DESCRIPTION + " characters");
    }
    return description;
  }

  static String type(Object value) {
    if (value == null) {
      return "public";
    }
    if (!(value instanceof String type) || !TYPES.contains(type)) {
      throw invalid("type", "Channel type must be public or private");
    }
    return type;
  }

  static boolean typing(Object value) {
    if (!(value instanceof Boolean typing)) {
      throw invalid("typing", "typing must be true or false");
    }
    return typing;
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.validation(message, new JsonObject().put("field", field));
  }
}
