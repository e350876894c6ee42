package com.connectbest.chat.common;

/** The machine-readable {@code error} field of the standard error body, with its usual HTTP status. */
public enum ErrorCode {
  VALIDATION_ERROR(400),
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  INVALID_CREDENTIALS(401),
  TWO_FACTOR_REQUIRED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  GONE(410),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  RATE_LIMITED(429),
  INTERNAL_ERROR(500),
  NOT_IMPLEMENTED(501),
  SERVICE_UNAVAILABLE(503),
  GATEWAY_TIMEOUT(504);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ErrorCode forStatus(int status) {
    for (ErrorCode code : values()) {
      if (code.status == status) {
        return code;
      }
    }
    return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
  }
}
