package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for the auth, channels and messages services on the bus, holding users, DM memberships, read positions
 * and messages in maps, and enforcing membership as the real services do.
 */
final class FakePeers {

  final Set<String> users = ConcurrentHashMap.newKeySet();
  final Map<String, Set<String>> members = new ConcurrentHashMap<>();
  final Map<String, List<JsonObject>> messages = new ConcurrentHashMap<>();
  final Map<String, Instant> reads = new ConcurrentHashMap<>();
  /** "user id:idempotency key" → the message sent with it. */
  final Map<String, JsonObject> sentWithKey = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private int clock;
  private long seq;
  private final Vertx vertx;

  FakePeers(Vertx vertx) {
    this.vertx = vertx;
    Future.all(
        vertx.eventBus().<JsonObject>consumer(Addresses.AUTH, this::handle).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.CHANNELS, this::handle).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.MESSAGES, this::handle).completion()).await();
  }

  int calls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  void resetCalls() {
    calls.clear();
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(ServiceRequest.ACTION_HEADER);
    calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    ServiceRequest request = ServiceRequest.fromJson(action, message.body());
    try {
      message.reply(answer(request).toJson());
    } catch (ApiException e) {
      message.fail(e.status(), e.toJson().encode());
    }
  }

  private ServiceReply answer(ServiceRequest request) {
    JsonObject body = request.bodyObject();
    String dmId = request.path().getString("channelId");
    return switch (request.action()) {
      case InternalActions.LOOKUP_USERS -> ServiceReply.ok(new JsonObject().put("users", new JsonArray(
          body.getJsonArray("user_ids").stream().filter(users::contains)
              .map(id -> new JsonObject().put("id", id).put("name", "User " + id).put("email", id + "@example.com"))
              .toList())));
      case InternalActions.ENSURE_DM_CHANNEL -> {
        String id = Ids.dmChannel(body.getJsonArray("user_ids").getString(0), body.getJsonArray("user_ids").getString(1));
        members.put(id, Set.of(body.getJsonArray("user_ids").getString(0), body.getJsonArray("user_ids").getString(1)));
        yield ServiceReply.ok(new JsonObject().put("channel_id", id));
      }
      case InternalActions.DM_READ_STATES -> ServiceReply.ok(new JsonObject().put("dms", new JsonArray(
          members.entrySet().stream().filter(e -> e.getValue().contains(body.getString("user_id")))
              .map(e -> new JsonObject().put("channel_id", e.getKey()).put("last_read_at", null)).toList())));
      case InternalActions.CHANNEL_ACTIVITY -> ServiceReply.ok(new JsonObject().put("activity", activity(body)));
      case InternalActions.APPEND_USER_EVENT -> {
        // As the messages service: each recipient's copy is numbered and published on the user's address.
        body.getJsonArray("user_ids").forEach(id -> vertx.eventBus().publish(Addresses.user((String) id),
            body.getJsonObject("event").copy().put("seq", ++seq)));
        yield ServiceReply.ok(new JsonObject());
      }
      case "sendMessage" -> {
        member(dmId, request);
        String content = body.getString("content", "").trim();
        if (content.isEmpty()) {
          throw ApiException.validation("Message content is required", null);
        }
        // As the messages service: a key already used by this user answers its message, marked as a replay.
        String key = IdempotencyKey.of(request);
        String keyed = key == null ? null : request.principal().id() + ":" + key;
        if (keyed != null && sentWithKey.containsKey(keyed)) {
          yield new ServiceReply(201, new JsonObject().put("message", sentWithKey.get(keyed)),
              new JsonObject().put(IdempotencyKey.REPLAYED_HEADER, "true"));
        }
        JsonObject view = new JsonObject().put("id", String.format("%024x", ++clock)).put("channel_id", dmId)
            .put("user_id", request.principal().id()).put("content", content)
            .put("created_at", Instant.ofEpochSecond(1_700_000_000L + clock).toString());
        messages.computeIfAbsent(dmId, k -> new ArrayList<>()).add(view);
        if (keyed != null) {
          sentWithKey.put(keyed, view);
        }
        yield ServiceReply.created(new JsonObject().put("message", view));
      }
      case "listChannelMessages" -> {
        member(dmId, request);
        yield ServiceReply.ok(new JsonObject().put("messages", new JsonArray(messages.getOrDefault(dmId, List.of())))
            .put("has_more", false));
      }
      case "markChannelRead" -> {
        member(dmId, request);
        yield ServiceReply.ok(new JsonObject().put("message", "Marked as read"));
      }
      default -> throw ApiException.notImplemented(request.action());
    };
  }

  private void member(String dmId, ServiceRequest request) {
    if (!members.getOrDefault(dmId, Set.of()).contains(request.principal().id())) {
      throw ApiException.forbidden("Not a member");
    }
  }

  private JsonObject activity(JsonObject body) {
    JsonObject activity = new JsonObject();
    body.getJsonArray("channels").stream().map(JsonObject.class::cast).forEach(state -> {
      List<JsonObject> list = messages.getOrDefault(state.getString("channel_id"), List.of());
      JsonObject last = list.isEmpty() ? null : list.get(list.size() - 1);
      long unread = list.stream().filter(m -> !m.getString("user_id").equals(body.getString("user_id"))).count();
      activity.put(state.getString("channel_id"), new JsonObject()
          .put("last_message", last == null ? null : last.getString("content"))
          .put("last_message_at", last == null ? null : last.getString("created_at"))
          .put("unread_count", unread));
    });
    return activity;
  }
}
