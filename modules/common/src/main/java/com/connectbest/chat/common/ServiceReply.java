package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;

/** What a service answers: an HTTP status, a JSON body (object or array) and optional extra headers. */
public record ServiceReply(int status, Object body, JsonObject headers) {

  public static ServiceReply ok(Object body) {
    return new ServiceReply(200, body, null);
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
