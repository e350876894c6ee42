package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A failure that becomes the standard error body {@code {error, message, details, timestamp}}.
 * Services throw (or fail futures with) it; the gateway turns it into the HTTP response.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final ErrorCode code;
  private final transient Object details;

  public ApiException(int status, ErrorCode code, String message, Object details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public ApiException(ErrorCode code, String message) {
    this(code.status(), code, message, null);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(ErrorCode.BAD_REQUEST, message);
  }

  public static ApiException validation(String message, Object details) {
    return new ApiException(400, ErrorCode.VALIDATION_ERROR, message, details);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(ErrorCode.UNAUTHORIZED, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(ErrorCode.FORBIDDEN, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(ErrorCode.CONFLICT, message);
  }

  public static ApiException notImplemented(String message) {
    return new ApiException(ErrorCode.NOT_IMPLEMENTED, message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, message);
  }

  public static ApiException internal() {
    return new ApiException(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred");
  }

  public int status() {
    return status;
  }

  public ErrorCode code() {
    return code;
  }

  public Object details() {
    return details;
  }

  public JsonObject toJson() {
    return body(code.name(), getMessage(), details);
  }

  public static JsonObject body(String error, String message, Object details) {
    return new JsonObject()
        .put("error", error)
        .put("message", message)
        .put("details", details)
        .put("timestamp", Instant.now().toString());
  }

  /** Reads an error body back (e.g. one carried by a {@link io.vertx.core.eventbus.ReplyException}). */
  public static ApiException fromJson(int status, JsonObject json) {
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(json.getString("error", ""));
    } catch (IllegalArgumentException e) {
      code = ErrorCode.forStatus(status);
    }
    return new ApiException(status, code, json.getString("message", "Request failed"), json.getValue("details"));
  }
}
