package com.connectbest.chat.auth;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Profiles, the user directory, statistics, and the identity facts other services ask for. */
final class ProfileService {

  static final int DIRECTORY_LIMIT = 1000;
  /** The most ids one {@code lookupUsers} call takes (UserDirectory.BATCH). */
  static final int LOOKUP_LIMIT = 1000;

  private final UserStore users;
  private final ServiceClient services;
  private final EventBus bus;

  ProfileService(UserStore users, ServiceClient services, EventBus bus) {
    this.users = users;
    this.services = services;
    this.bus = bus;
  }

  Future<JsonObject> me(String userId) {
    return users.findById(userId).compose(user -> user == null
        ? Future.failedFuture(ApiException.notFound("User not found"))
        : Future.succeededFuture(new JsonObject().put("user", UserViews.profile(user))));
  }

  Future<JsonObject> logout(String userId) {
    // Every token issued before now stops working (the gateway compares this with the token's issue time).
    java.time.Instant validAfter = java.time.Instant.now();
    return changed(userId, users.update(userId, new JsonObject().put("status", "offline")
            .put("tokens_valid_after", MongoDocs.date(validAfter)), null))
        .map(user -> {
          revoked(bus, userId, validAfter, "logout");
          return new JsonObject().put("message", "Status updated to offline. NextAuth handles session logout.");
        });
  }

  Future<JsonObject> update(String userId, JsonObject body) {
    JsonObject set = new JsonObject();
    if (body.containsKey("name")) {
      set.put("full_name", UserRules.name(body.getValue("name")));
    }
    if (body.containsKey("phone")) {
      set.put("phone", UserRules.phone(body.getValue("phone")));
    }
    if (body.containsKey("status")) {
      set.put("status", UserRules.status(body.getValue("status")));
    }
    if (body.containsKey("status_message")) {
      set.put("status_message", UserRules.statusMessage(body.getValue("status_message")));
    }
    if (body.containsKey("avatar")) {
      set.put("avatar", UserRules.avatarUrl(body.getValue("avatar")));
    }
    if (set.isEmpty()) {
      return Future.failedFuture(ApiException.validation("Nothing to update",
          new JsonObject().put("allowed", new JsonArray(List.of("name", "phone", "status", "status_message", "avatar")))));
    }
    return changed(userId, users.update(userId, set, null))
        .map(user -> new JsonObject().put("user", UserViews.profile(user)).put("message", "Profile updated successfully"));
  }

  /**
   * {@code listUsers}: one page of the directory ({@code limit}, default and maximum {@value #DIRECTORY_LIMIT}), after
   * {@code cursor} (the previous page's {@code next_cursor}); {@code has_more} says whether another page follows.
   */
  Future<JsonObject> directory(JsonObject query) {
    int limit = DirectoryCursor.limit(query.getValue("limit"), DIRECTORY_LIMIT);
    DirectoryCursor after = DirectoryCursor.parse(query.getValue("cursor"));
    return users.listAll(after == null ? null : after.name(), after == null ? null : after.id(), limit + 1)
        .compose(list -> users.count(new JsonObject()).map(total -> {
          boolean more = list.size() > limit;
          List<JsonObject> page = more ? list.subList(0, limit) : list;
          JsonObject last = page.isEmpty() ? null : page.get(page.size() - 1);
          return new JsonObject()
              .put("users", new JsonArray(page.stream().map(UserViews::summary).toList()))
              .put("total", total)
              .put("has_more", more)
              .put("next_cursor", more ? DirectoryCursor.of(last.getString("full_name"), MongoDocs.id(last)) : null);
        }));
  }

  Future<JsonObject> search(String query, int limit) {
    // trimmed of the white space the schema's not-blank pattern names (trim() would also drop control characters)
    String text = query == null ? "" : com.connectbest.chat.common.Names.trim(query);
    if (text.isEmpty()) {
      return Future.failedFuture(ApiException.validation("query must not be empty", new JsonObject().put("field", "query")));
    }
    return users.search(text, Math.max(1, Math.min(limit, 100)))
        .map(list -> new JsonObject().put("users", new JsonArray(list.stream().map(UserViews::summary).toList())));
  }

  Future<JsonObject> statistics() {
    Future<Long> total = users.count(new JsonObject());
    Future<Long> active = users.count(new JsonObject().put("status", new JsonObject().put("$in",
        new JsonArray(List.of("online", "away", "busy", "inmeeting")))));
    Future<JsonObject> channels = services.call(Addresses.CHANNELS, InternalActions.COUNT_CHANNELS, new JsonObject());
    Future<JsonObject> messages = services.call(Addresses.MESSAGES, InternalActions.COUNT_MESSAGES, new JsonObject());
    return Future.all(total, active, channels, messages).map(all -> new JsonObject().put("statistics", new JsonObject()
        .put("totalUsers", total.result())
        .put("activeUsers", active.result())
        .put("totalChannels", channels.result().getLong("count", 0L))
        .put("totalMessages", messages.result().getLong("count", 0L))));
  }

  /** {@code countUsers}: accounts registered since {@code since}, by their ids' creation time (the _id index). */
  Future<JsonObject> countRegisteredSince(JsonObject body) {
    java.time.Instant since = MongoDocs.instant(body.getValue("since"));
    if (since == null) {
      throw ApiException.validation("Invalid since", new JsonObject().put("field", "since"));
    }
    return users.count(new JsonObject().put("_id", MongoDocs.insertedSince(since)))
        .map(count -> new JsonObject().put("count", count));
  }

  Future<JsonObject> resolvePrincipal(JsonObject body) {
    Object id = body.getValue("user_id");
    if (!Ids.isObjectId(id)) {
      return Future.succeededFuture(new JsonObject().put("found", false));
    }
    return users.findById(((String) id).toLowerCase()).map(user -> user == null
        ? new JsonObject().put("found", false)
        : new JsonObject().put("found", true).put("principal", UserViews.principal(user).toJson())
            .put("tokens_valid_after_ms", validAfter(user)));
  }

  private static Long validAfter(JsonObject user) {
    java.time.Instant instant = MongoDocs.instant(user.getValue("tokens_valid_after"));
    return instant == null ? null : instant.toEpochMilli();
  }

  Future<JsonObject> lookup(JsonObject body) {
    JsonArray requested = body.getJsonArray("user_ids", new JsonArray());
    List<String> ids = requested.stream().filter(Ids::isObjectId).map(id -> ((String) id).toLowerCase())
        .distinct().toList();
    if (ids.size() > LOOKUP_LIMIT) {
      // Refused rather than cut: callers ask in batches (UserDirectory), and a cut list would drop users silently.
      throw ApiException.validation("Too many user ids (max " + LOOKUP_LIMIT + ")",
          new JsonObject().put("field", "user_ids"));
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("users", new JsonArray()));
    }
    return users.findByIds(ids)
        .map(list -> new JsonObject().put("users", new JsonArray(list.stream().map(UserViews::summary).toList())));
  }

  /** Tells every gateway to refuse the user's older tokens and to close the bridge sockets opened with them. */
  static void revoked(EventBus bus, String userId, java.time.Instant validAfter, String reason) {
    bus.publish(Addresses.ACCOUNT_REVOKED, new JsonObject().put("user_id", userId)
        .put("valid_after_ms", validAfter.toEpochMilli()).put("reason", reason));
  }

  private Future<JsonObject> changed(String userId, Future<JsonObject> update) {
    return update.compose(user -> {
      if (user == null) {
        return Future.failedFuture(ApiException.notFound("User not found"));
      }
      bus.publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", MongoDocs.id(user)));
      return Future.succeededFuture(user);
    });
  }
}
