package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The client's key that makes a send safe to retry: the {@value #HEADER} HTTP header (carried in the envelope as
 * {@code idempotency_key}) and/or {@value #BODY_FIELD} in the JSON body. Both optional; when both are given they
 * must be equal. A key is 1–{@value #MAX_LENGTH} visible ASCII characters (no spaces), e.g. a UUID.
 */
public final class IdempotencyKey {

  public static final String HEADER = "Idempotency-Key";
  public static final String BODY_FIELD = "client_message_id";
  /** Set on a reply (and so on the HTTP response) that repeats the outcome of an earlier request with the key. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  public static final int MAX_LENGTH = 128;

  private static final Pattern VALID = Pattern.compile("[!-~]{1," + MAX_LENGTH + "}");

  private IdempotencyKey() {
  }

  /**
   * The request's key, or null when it has none; a 400 when either form is malformed or the two differ.
   * The gateway validates both against the contract already, but any cluster member can send to a service.
   */
  public static String resolve(String header, Object bodyValue) {
    String fromHeader = header == null ? null : require(header, HEADER);
    String fromBody = bodyValue == null ? null : require(bodyValue, BODY_FIELD);
    if (fromHeader != null && fromBody != null && !fromHeader.equals(fromBody)) {
      throw ApiException.validation("The " + HEADER + " header and " + BODY_FIELD + " differ",
          new JsonObject().put("field", BODY_FIELD).put("reason", "must equal the " + HEADER + " header when both are sent"));
    }
    return fromHeader != null ? fromHeader : fromBody;
  }

  /** The key of a service request: its envelope's {@code idempotency_key} and the body's {@value #BODY_FIELD}. */
  public static String of(ServiceRequest request) {
    return resolve(request.idempotencyKey(), request.bodyObject().getValue(BODY_FIELD));
  }

  private static String require(Object value, String field) {
    if (!(value instanceof String text) || !VALID.matcher(text).matches()) {
      throw ApiException.validation("Invalid " + field, new JsonObject().put("field", field)
          .put("reason", "must be 1-" + MAX_LENGTH + " visible ASCII characters without spaces"));
    }
    return text;
  }
}
