package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Optional http(s) URLs that browsers will load (icons, avatars): no other scheme (javascript:, data:) is kept. The
 * rule is the contract's pattern for these fields, character for character, so that the schema and the server agree:
 * {@code http://} or {@code https://} (any case), a host, and no white space, control characters or characters that
 * are never valid unencoded in a URL ({@code "<>\^`{|}}); surrounding space, tabs and line breaks are trimmed.
 */
public final class HttpUrls {

  public static final int MAX_LENGTH = 2_048;
  /** The same expression as {@code HttpUrl}'s pattern in openapi.yaml. */
  static final Pattern URL = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]*[Hh][Tt][Tt][Pp][Ss]?://"
      + "[^\\x00-\\x20\"<>\\\\^`{|}\\x7F/?#]+([/?#][^\\x00-\\x20\"<>\\\\^`{|}\\x7F]*)?[ \\t\\n\\x0B\\f\\r]*\\z");
  private static final Pattern EDGE_SPACE = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]+|[ \\t\\n\\x0B\\f\\r]+$");

  private HttpUrls() {
  }

  /** The trimmed URL, or null for null; a 400 on {@code field} for anything but an http(s) URL with a host. */
  public static String optional(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text && text.codePointCount(0, text.length()) <= MAX_LENGTH
        && URL.matcher(text).matches()) {
      return EDGE_SPACE.matcher(text).replaceAll("");
    }
    throw ApiException.validation(field + " must be an http(s) URL", new JsonObject().put("field", field));
  }
}
