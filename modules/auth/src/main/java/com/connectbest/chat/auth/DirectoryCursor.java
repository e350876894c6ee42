package com.connectbest.chat.auth;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in the user directory (name, then id): opaque to clients, base64url of {@code [name|null, id]}, so that
 * the next page starts right after the last user shown even when users with the same name follow.
 */
record DirectoryCursor(String name, String id) {

  static String of(String name, String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonArray().add(name).add(id).encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor given, or null when there is none; 400 when it is not one this service made. */
  static DirectoryCursor parse(Object value) {
    if (value == null || "".equals(value)) {
      return null;
    }
    try {
      JsonArray fields = new JsonArray(new String(Base64.getUrlDecoder().decode(String.valueOf(value)),
          StandardCharsets.UTF_8));
      Object name = fields.getValue(0);
      Object id = fields.getValue(1);
      if (fields.size() == 2 && (name == null || name instanceof String) && Ids.isObjectId(id)) {
        return new DirectoryCursor((String) name, ((String) id).toLowerCase());
      }
    } catch (RuntimeException malformed) {
      // answered below
    }
    throw ApiException.validation("Invalid cursor", new JsonObject().put("field", "cursor"));
  }

  /** A page size between 1 and max (default max); 400 otherwise. */
  static int limit(Object value, int max) {
    if (value == null || "".equals(value)) {
      return max;
    }
    String text = String.valueOf(value).strip();
    if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > max) {
      throw ApiException.validation("limit must be a whole number between 1 and " + max,
          new JsonObject().put("field", "limit"));
    }
    return Integer.parseInt(text);
  }
}
