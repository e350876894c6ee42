package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Names and e-mails of users, asked of the auth service in one call per request; unknown users are absent. */
public final class UserDirectory {

  private final ServiceClient services;

  public UserDirectory(ServiceClient services) {
    this.services = services;
  }

  /** user id → {id, name, email, ...}; fails (e.g. 503) when the auth service cannot answer. */
  public Future<Map<String, JsonObject>> lookup(Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    return services.call(Addresses.AUTH, InternalActions.LOOKUP_USERS,
            new JsonObject().put("user_ids", new JsonArray(userIds.stream().distinct().toList())))
        .map(reply -> {
          Map<String, JsonObject> users = new HashMap<>();
          reply.getJsonArray("users", new JsonArray()).stream()
              .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
              .forEach(user -> users.put(user.getString("id"), user));
          return users;
        });
  }
}
