package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;

/**
 * What a service answers: an HTTP status, a JSON body (object or array) and optional extra headers.
 *
 * @param unshared nothing but this reply holds the body (rendered for this request alone, in no cache and no event),
 *                 so a caller in the same process may receive it as it is instead of a copy
 *                 ({@link UnsharedJsonCodec}); never sent, a local decision of the replying service
 */
public record ServiceReply(int status, Object body, JsonObject headers, boolean unshared) {

  public ServiceReply(int status, Object body, JsonObject headers) {
    this(status, body, headers, false);
  }

  public static ServiceReply ok(Object body) {
    return new ServiceReply(200, body, null);
  }

  /** 200 with a body that nothing else holds (see {@link #unshared()}). */
  public static ServiceReply okUnshared(Object body) {
    return new ServiceReply(200, body, null, true);
  }

  public static ServiceReply created(Object body) {
    return new ServiceReply(201, body, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("status", status).put("body", body).put("headers", headers);
  }

  public static ServiceReply fromJson(JsonObject json) {
    return new ServiceReply(json.getInteger("status", 200), json.getValue("body"), json.getJsonObject("headers"));
  }
}
