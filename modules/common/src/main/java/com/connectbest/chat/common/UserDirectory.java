package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and e-mails of users, asked of the auth service; unknown users are absent. Any number of ids: they are
 * asked in calls of at most {@value #BATCH} (what {@code lookupUsers} takes), one call for the usual short lists.
 */
public final class UserDirectory {

  /** The most ids {@link InternalActions#LOOKUP_USERS} answers in one call. */
  public static final int BATCH = 1000;

  private final ServiceClient services;

  public UserDirectory(ServiceClient services) {
    this.services = services;
  }

  /** user id → {id, name, email, ...}; fails (e.g. 503) when the auth service cannot answer. */
  public Future<Map<String, JsonObject>> lookup(Collection<String> userIds) {
    List<String> ids = userIds.stream().distinct().toList();
    if (ids.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    List<Future<JsonObject>> calls = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += BATCH) {
      calls.add(services.call(Addresses.AUTH, InternalActions.LOOKUP_USERS,
          new JsonObject().put("user_ids", new JsonArray(ids.subList(from, Math.min(ids.size(), from + BATCH))))));
    }
    return Future.all(calls).map(done -> {
      Map<String, JsonObject> users = new HashMap<>();
      calls.forEach(call -> call.result().getJsonArray("users", new JsonArray()).stream()
          .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .forEach(user -> users.put(user.getString("id"), user)));
      return users;
    });
  }
}
