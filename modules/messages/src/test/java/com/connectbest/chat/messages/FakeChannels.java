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
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the channels service on the bus: channels, members and read positions from maps the test
 * controls. Membership changes are published on {@code events.membership.changed}, as the real service does.
 */
final class FakeChannels {

  private record Channel(String type, Map<String, String> members, Map<String, Instant> reads) {
  }

  private final Vertx vertx;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  FakeChannels(Vertx vertx) {
    this.vertx = vertx;
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.CHANNELS, this::handle);
    consumer.completion().await();
  }

  void create(String channelId, String type, String... members) {
    Channel channel = new Channel(type, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    for (String member : members) {
      channel.members().put(member, "member");
    }
    channels.put(channelId, channel);
  }

  void add(String channelId, String userId) {
    add(channelId, userId, true);
  }

  /** Adds the member; with {@code announce} false the change is silent (as if the event were lost). */
  void add(String channelId, String userId, boolean announce) {
    channels.get(channelId).members().put(userId, "member");
    if (announce) {
      vertx.eventBus().publish(Addresses.MEMBERSHIP_CHANGED,
          new JsonObject().put("channel_id", channelId).put("user_id", userId).put("change", "joined"));
    }
  }

  /** Removes the member; with {@code announce} false the change is silent (to show what caching would do). */
  void remove(String channelId, String userId, boolean announce) {
    channels.get(channelId).members().remove(userId);
    channels.get(channelId).reads().remove(userId);
    if (announce) {
      vertx.eventBus().publish(Addresses.MEMBERSHIP_CHANGED,
          new JsonObject().put("channel_id", channelId).put("user_id", userId).put("change", "left"));
    }
  }

  void read(String channelId, String userId, Instant lastReadAt) {
    channels.get(channelId).reads().put(userId, lastReadAt);
  }

  int calls(String action) {
    AtomicInteger count = calls.get(action);
    return count == null ? 0 : count.get();
  }

  void resetCalls() {
    calls.clear();
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(ServiceRequest.ACTION_HEADER);
    calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    JsonObject body = ServiceRequest.fromJson(action, message.body()).bodyObject();
    JsonObject answer;
    switch (action) {
      case InternalActions.CHECK_ACCESS -> {
        Channel channel = channels.get(body.getString("channel_id"));
        String role = channel == null ? null : channel.members().get(body.getString("user_id"));
        answer = new JsonObject().put("exists", channel != null).put("type", channel == null ? null : channel.type())
            .put("member", role != null).put("member_role", role);
      }
      case InternalActions.MEMBER_CHANNELS -> {
        JsonArray ids = new JsonArray();
        channels.forEach((id, channel) -> {
          if (channel.members().containsKey(body.getString("user_id"))) {
            ids.add(id);
          }
        });
        answer = new JsonObject().put("channel_ids", ids);
      }
      case InternalActions.CHANNEL_READ_STATES -> {
        Channel channel = channels.get(body.getString("channel_id"));
        JsonArray reads = new JsonArray();
        if (channel != null) {
          channel.members().keySet().forEach(member -> reads.add(new JsonObject().put("user_id", member)
              .put("last_read_at", channel.reads().containsKey(member) ? channel.reads().get(member).toString() : null)));
        }
        answer = new JsonObject().put("reads", reads);
      }
      case InternalActions.READ_COUNTS -> {
        Channel channel = channels.get(body.getString("channel_id"));
        JsonObject counts = new JsonObject();
        body.getJsonArray("messages", new JsonArray()).forEach(item -> {
          JsonObject m = (JsonObject) item;
          Instant created = Instant.parse(m.getString("created_at"));
          long readers = channel == null ? 0 : channel.members().keySet().stream()
              .filter(member -> !member.equals(m.getString("user_id")))
              .filter(member -> channel.reads().containsKey(member) && !channel.reads().get(member).isBefore(created))
              .count();
          counts.put(m.getString("id"), readers);
        });
        answer = new JsonObject().put("counts", counts);
      }
      default -> {
        message.fail(501, "unexpected action " + action);
        return;
      }
    }
    message.reply(ServiceReply.ok(answer).toJson());
  }
}
