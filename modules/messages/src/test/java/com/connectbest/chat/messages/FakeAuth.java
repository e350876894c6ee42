package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/** A stand-in for the auth service's {@code lookupUsers}, recording every call's ids. */
final class FakeAuth {

  private final Map<String, JsonObject> users = new ConcurrentHashMap<>();
  final List<JsonArray> lookups = new CopyOnWriteArrayList<>();

  FakeAuth(Vertx vertx) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.AUTH, this::handle);
    consumer.completion().await();
  }

  void put(String id, String name) {
    users.put(id, new JsonObject().put("id", id).put("name", name).put("email", name.toLowerCase() + "@example.com")
        .put("username", name.toLowerCase()).put("role", "user").put("status", "online")
        .put("avatar", "https://example.com/" + name.toLowerCase() + ".png").put("status_message", "secret-ish"));
  }

  void delete(String id) {
    users.remove(id);
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(ServiceRequest.ACTION_HEADER);
    if (!InternalActions.LOOKUP_USERS.equals(action)) {
      message.fail(501, "unexpected action " + action);
      return;
    }
    JsonArray ids = ServiceRequest.fromJson(action, message.body()).bodyObject().getJsonArray("user_ids");
    lookups.add(ids);
    JsonArray found = new JsonArray();
    ids.forEach(id -> {
      if (users.containsKey(id)) {
        found.add(users.get(id));
      }
    });
    message.reply(ServiceReply.ok(new JsonObject().put("users", found)).toJson());
  }
}
