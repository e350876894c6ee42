package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;

/** Turns a validated HTTP operation into a request on its service's address, and the reply back into HTTP. */
final class OperationForwarder {

  static final String SERVICE_EXTENSION = "x-service";

  private final ServiceClient services;

  OperationForwarder(ServiceClient services) {
    this.services = services;
  }

  static String addressOf(Operation operation) {
    Object service = operation.getExtensions().get(SERVICE_EXTENSION);
    if (!(service instanceof String name)) {
      throw new IllegalStateException("operation " + operation.getOperationId() + " has no " + SERVICE_EXTENSION);
    }
    return Addresses.service(name);
  }

  Handler<RoutingContext> forward(Operation operation) {
    String address = addressOf(operation);
    String action = operation.getOperationId();
    return rc -> {
      ValidatedRequest validated = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
      ServiceRequest request;
      try {
        request = validated == null ? unvalidated(action, rc) : new ServiceRequest(action, rc.get(ApiRouter.PRINCIPAL),
            toJson(validated.getPathParameters()), toJson(validated.getQuery()), bodyOf(validated.getBody()),
            rc.get(AccessLog.REQUEST_ID), idempotencyKey(validated));
      } catch (ApiException invalid) {
        rc.fail(invalid);
        return;
      }
      services.send(address, request)
          .onSuccess(reply -> write(rc, reply))
          .onFailure(rc::fail);
    };
  }

  /** Operations that skip contract validation (multipart): raw parameters, and a JSON body if one was sent. */
  private static ServiceRequest unvalidated(String action, RoutingContext rc) {
    JsonObject path = new JsonObject();
    rc.pathParams().forEach(path::put);
    JsonObject query = new JsonObject();
    rc.queryParams().forEach(entry -> query.put(entry.getKey(), entry.getValue()));
    String type = rc.request().getHeader("Content-Type");
    Object body = null;
    if (type != null && type.startsWith("application/json") && rc.body().length() > 0) {
      try {
        body = rc.body().asJsonObject();
      } catch (RuntimeException notAnObject) {
        throw ApiException.validation("The JSON body must be an object", null);
      }
    }
    return new ServiceRequest(action, rc.get(ApiRouter.PRINCIPAL), path, query, body, rc.get(AccessLog.REQUEST_ID));
  }

  /** The validated {@value IdempotencyKey#HEADER} header of operations that declare it, else null. */
  private static String idempotencyKey(ValidatedRequest validated) {
    RequestParameter key = validated.getHeaders() == null ? null : validated.getHeaders().get(IdempotencyKey.HEADER);
    return key == null || key.isNull() ? null : String.valueOf(key.get());
  }

  /** Whether the operation declares the {@value IdempotencyKey#HEADER} header, i.e. a retry with it is safe. */
  static boolean acceptsIdempotencyKey(Operation operation) {
    return operation != null && operation.getParameters().stream().anyMatch(parameter ->
        parameter.getIn() == Location.HEADER && IdempotencyKey.HEADER.equalsIgnoreCase(parameter.getName()));
  }

  private static Object bodyOf(RequestParameter body) {
    return body == null || body.isNull() ? null : body.get();
  }

  private static JsonObject toJson(Map<String, RequestParameter> parameters) {
    JsonObject json = new JsonObject();
    if (parameters != null) {
      parameters.forEach((name, value) -> {
        if (value != null && !value.isNull()) {
          json.put(name, value.get());
        }
      });
    }
    return json;
  }

  static void write(RoutingContext rc, ServiceReply reply) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(reply.status());
    if (reply.headers() != null) {
      reply.headers().forEach(header -> rc.response().putHeader(header.getKey(), String.valueOf(header.getValue())));
    }
    if (reply.body() == null) {
      rc.response().end();
      return;
    }
    rc.response().putHeader("Content-Type", "application/json")
        .end(io.vertx.core.json.Json.encode(reply.body()));
  }

  static boolean isPublic(Operation operation) {
    return operation.getSecurityRequirements().isEmpty()
        || operation.getSecurityRequirements().stream().anyMatch(requirement -> requirement.isEmpty());
  }

  static Principal principalOf(RoutingContext rc) {
    return rc.get(ApiRouter.PRINCIPAL);
  }
}
