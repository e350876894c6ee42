package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;

/**
 * The envelope of every request sent to a service address. A principal travels with the gateway's
 * {@link EnvelopeSignature} of it ({@value EnvelopeSignature#FIELD}), which services check before acting. The operation (an OpenAPI operationId,
 * or an internal action) travels in the {@value #ACTION_HEADER} delivery header; the body is {@link #toJson()}.
 *
 * @param path   validated path parameters
 * @param query  validated query parameters
 * @param body   the validated JSON body, or the payload of an internal action
 * @param idempotencyKey the caller's {@value IdempotencyKey#HEADER} header, or null (see {@link IdempotencyKey})
 */
public record ServiceRequest(String action, Principal principal, JsonObject path, JsonObject query, Object body,
                             String requestId, String idempotencyKey) {

  public static final String ACTION_HEADER = "action";
  /**
   * The sending process's {@link ServiceClient#PROCESS_ID}: a reply to a request from the same process may skip the
   * event bus's copy ({@link UnsharedJsonCodec}). Members in other languages may leave it out.
   */
  public static final String ORIGIN_HEADER = "origin";

  /** A request without an idempotency key. */
  public ServiceRequest(String action, Principal principal, JsonObject path, JsonObject query, Object body,
                        String requestId) {
    this(action, principal, path, query, body, requestId, null);
  }

  public static ServiceRequest internal(String action, JsonObject payload) {
    return new ServiceRequest(action, null, new JsonObject(), new JsonObject(), payload, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("principal", principal == null ? null : principal.toJson())
        .put("path", path)
        .put("query", query)
        .put("body", body)
        .put("request_id", requestId);
    if (principal != null && principal.signature() != null) {
      json.put(EnvelopeSignature.FIELD, principal.signature());
    }
    // Only when present: most requests have none, and older members simply ignore the field.
    if (idempotencyKey != null) {
      json.put("idempotency_key", idempotencyKey);
    }
    return json;
  }

  public static ServiceRequest fromJson(String action, JsonObject json) {
    JsonObject path = json.getJsonObject("path");
    JsonObject query = json.getJsonObject("query");
    Principal principal = Principal.fromJson(json.getJsonObject("principal"));
    if (principal != null && json.getValue(EnvelopeSignature.FIELD) instanceof String signature) {
      principal = principal.withSignature(signature);
    }
    return new ServiceRequest(action, principal,
        path == null ? new JsonObject() : path, query == null ? new JsonObject() : query,
        json.getValue("body"), json.getString("request_id"),
        json.getValue("idempotency_key") instanceof String key ? key : null);
  }

  public JsonObject bodyObject() {
    return body instanceof JsonObject object ? object : new JsonObject();
  }

  public String pathParam(String name) {
    return path.getString(name);
  }

  /** The caller, or a 401 for actions that need one. */
  public Principal requirePrincipal() {
    if (principal == null) {
      throw ApiException.unauthorized("Authentication required");
    }
    return principal;
  }

  public Principal requireAdmin() {
    Principal caller = requirePrincipal();
    if (!caller.isAdmin()) {
      throw ApiException.forbidden("Admin access required");
    }
    return caller;
  }
}
