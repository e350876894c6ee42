package com.connectbest.chat.gateway;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every failure, whatever raised it, as the standard JSON error body. Never leaks internals. */
final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  static void handle(RoutingContext rc) {
    ApiException error = toApiException(rc);
    write(rc, error.code() == ErrorCode.GATEWAY_TIMEOUT ? unknownOutcome(error, rc.get(ApiRouter.OPERATION)) : error);
  }

  /**
   * A 504 says no more than that nobody answered in time: the service may still have done the work. So the body
   * says the outcome is unknown and whether this operation makes a retry safe (it declares an Idempotency-Key).
   */
  static ApiException unknownOutcome(ApiException timeout, Operation operation) {
    boolean retrySafe = OperationForwarder.acceptsIdempotencyKey(operation);
    JsonObject details = timeout.details() instanceof JsonObject given ? given.copy() : new JsonObject();
    details.put("outcome", "unknown").put("retry_safe_with_idempotency_key", retrySafe);
    String message = "The service did not answer in time; the outcome is unknown"
        + (retrySafe ? " and a retry with the same " + IdempotencyKey.HEADER + " is safe" : "");
    return new ApiException(timeout.status(), ErrorCode.GATEWAY_TIMEOUT, message, details);
  }

  static void write(RoutingContext rc, ApiException error) {
    if (rc.response().ended()) {
      return;
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    if (error.details() instanceof io.vertx.core.json.JsonObject details && details.containsKey("retry_after_seconds")) {
      rc.response().putHeader("Retry-After", String.valueOf(details.getValue("retry_after_seconds")));
    }
    rc.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().encode());
  }

  /** Requests the HTTP codec could not parse (line or headers too long, bad framing) never reach the router. */
  static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException error;
    if (cause instanceof io.netty.handler.codec.TooLongFrameException && cause.getMessage() != null
        && cause.getMessage().contains("line")) {
      error = new ApiException(414, ErrorCode.BAD_REQUEST, "The request URI is too long", null);
    } else if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
      error = new ApiException(431, ErrorCode.BAD_REQUEST, "The request headers are too large", null);
    } else {
      error = ApiException.badRequest("The request could not be parsed");
    }
    request.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").end(error.toJson().encode())
        .onComplete(done -> request.connection().close());
  }

  static ApiException toApiException(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof ReplyException) {
      return ServiceClient.toApiException(failure);
    }
    if (failure instanceof HttpException http) {
      if (http.getCause() instanceof ValidatorException validation) {
        return ApiException.validation("Request validation failed: " + validation.getMessage(), details(validation));
      }
      if (http.getCause() instanceof DecodeException) {
        return new ApiException(ErrorCode.BAD_REQUEST, "The request body is not valid JSON");
      }
      return fromStatus(http.getStatusCode());
    }
    if (failure instanceof ValidatorException validation) {
      return ApiException.validation("Request validation failed: " + validation.getMessage(), details(validation));
    }
    if (failure instanceof DecodeException) {
      return new ApiException(ErrorCode.BAD_REQUEST, "The request body is not valid JSON");
    }
    if (failure != null && rc.statusCode() == 403 && String.valueOf(failure.getMessage()).startsWith("CORS")) {
      // vert.x's CorsHandler fails a disallowed Origin with 403 and a plain exception (and a custom reason phrase).
      rc.response().setStatusMessage("Forbidden");
      return ApiException.forbidden("This origin is not allowed (CORS_ORIGINS)");
    }
    if (failure != null && rc.get(ApiRouter.OPERATION) != null
        && rc.get(io.vertx.ext.web.openapi.router.RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST) == null) {
      // The contract validator itself threw on this input (a library bug, e.g. format checks on odd strings):
      // the request could not be validated, which is the client's 400, not the server's 500.
      LOG.warn("Contract validation threw on {} {}: {}", rc.request().method(), rc.normalizedPath(), failure.toString());
      return ApiException.validation("Request validation failed: the input could not be validated", null);
    }
    if (failure != null) {
      LOG.error("Unhandled failure on {} {}", rc.request().method(), rc.normalizedPath(), failure);
      return ApiException.internal();
    }
    return fromStatus(rc.statusCode());
  }

  static ApiException fromStatus(int status) {
    return switch (status) {
      case 400 -> ApiException.badRequest("Bad request");
      case 401 -> ApiException.unauthorized("Authentication required");
      case 403 -> ApiException.forbidden("Forbidden");
      case 404 -> ApiException.notFound("No such endpoint");
      case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed on this endpoint");
      case 413 -> new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than allowed");
      case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type");
      case 503 -> ApiException.unavailable("The service is not available right now; retry shortly");
      default -> status >= 400 && status < 500
          ? new ApiException(status, ErrorCode.forStatus(status), "Request failed", null)
          : ApiException.internal();
    };
  }

  private static Object details(ValidatorException validation) {
    JsonObject details = new JsonObject().put("type", validation.type().name());
    if (validation instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      JsonArray errors = new JsonArray();
      collect(schema.getOutputUnit(), errors);
      details.put("errors", errors);
    }
    return details;
  }

  private static void collect(OutputUnit unit, JsonArray into) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(child -> collect(child, into));
      return;
    }
    String keyword = unit.getKeywordLocation();
    boolean noise = keyword != null && (keyword.endsWith("/additionalProperties") || keyword.endsWith("/$ref"));
    if (unit.getError() != null && !noise) {
      into.add(new JsonObject().put("location", unit.getInstanceLocation()).put("reason", unit.getError()));
    }
  }
}
