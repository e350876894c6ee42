package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Short display names (hook names, bot names, a hook message's username): at most {@code max} characters as given,
 * counted in code points as the contract's {@code maxLength} counts them, and not blank: something other than
 * space, tab or line breaks, the white space the contract's pattern {@code [^ \t\n\u000b\f\r]} names and that is
 * trimmed here. Contract and server apply the same rule, so a generated client refuses exactly what the server does.
 */
public final class Names {

  private static final Pattern EDGE_SPACE = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]+|[ \\t\\n\\x0B\\f\\r]+$");

  private Names() {
  }

  /** The text without surrounding space, tabs and line breaks (the white space the contract's patterns name). */
  public static String trim(String text) {
    return EDGE_SPACE.matcher(text).replaceAll("");
  }

  /** The trimmed name; a 400 on {@code field} for anything else than a string of 1 to {@code max} characters. */
  public static String required(Object value, String field, int max) {
    String raw = value instanceof String text ? text : "";
    String name = trim(raw);
    if (name.isEmpty() || raw.codePointCount(0, raw.length()) > max) {
      throw ApiException.validation(field + " must be 1 to " + max + " characters",
          new JsonObject().put("field", field));
    }
    return name;
  }
}
