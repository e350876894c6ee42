package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;

/** Optional http(s) URLs that browsers will load (icons, avatars): no other scheme (javascript:, data:) is kept. */
public final class HttpUrls {

  public static final int MAX_LENGTH = 2_048;

  private HttpUrls() {
  }

  /** The trimmed URL, or null for null; a 400 on {@code field} for anything but an absolute http(s) URL with a host. */
  public static String optional(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text && !text.isBlank() && text.length() <= MAX_LENGTH) {
      try {
        URI uri = new URI(text.trim());
        if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
            && uri.getHost() != null) {
          return text.trim();
        }
      } catch (URISyntaxException ignored) {
        // refused below
      }
    }
    throw ApiException.validation(field + " must be an http(s) URL", new JsonObject().put("field", field));
  }
}
