package com.connectbest.chat.common;

import java.util.regex.Pattern;

public final class Ids {

  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");

  private Ids() {
  }

  public static boolean isObjectId(Object value) {
    return value instanceof String text && OBJECT_ID.matcher(text).matches();
  }

  /** The id in canonical (lower-case) form, or a 400 naming the field. */
  public static String requireObjectId(Object value, String field) {
    if (!isObjectId(value)) {
      throw ApiException.validation("Invalid " + field, new io.vertx.core.json.JsonObject().put("field", field)
          .put("reason", "must be a 24-character hexadecimal id"));
    }
    return ((String) value).toLowerCase();
  }
}
