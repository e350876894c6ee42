package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal figures for other services: per-channel activity (channel lists, DM lists), read notices from the channels
 * service, and message counts.
 */
final class ChannelActivityService {

  static final int MAX_CHANNELS = 1000;

  private final MessageStore messages;
  private final CounterStore counters;
  private final CounterBackfill backfill;

  ChannelActivityService(MessageStore messages, CounterStore counters, CounterBackfill backfill) {
    this.messages = messages;
    this.counters = counters;
    this.backfill = backfill;
  }

  /**
   * {@code channelActivity} {user_id, channels: [{channel_id, last_read_at|null}]} →
   * {activity: {channel_id: {last_message, last_message_at, unread_count}}}: two counter lookups in all, and unread
   * is a subtraction (see {@link CounterStore}). A member counter whose read position differs from the one given
   * (a read notice was lost, or the counters were backfilled) is recounted once, for that channel only. Until the
   * backfill is done, everything is counted from the messages.
   */
  Future<JsonObject> channelActivity(JsonObject body) {
    String userId = Ids.requireObjectId(body.getValue("user_id"), "user_id");
    JsonArray requested = body.getJsonArray("channels", new JsonArray());
    if (requested.size() > MAX_CHANNELS) {
      // A bound on one request's size, stated in docs/event-bus.md: callers send a user's channels in chunks.
      throw ApiException.validation("Too many channels (max " + MAX_CHANNELS + ")",
          new JsonObject().put("field", "channels"));
    }
    Map<String, Instant> lastRead = new LinkedHashMap<>();
    for (Object item : requested) {
      if (item instanceof JsonObject channel && Ids.isChannel(channel.getValue("channel_id"))) {
        lastRead.put(Ids.requireChannel(channel.getValue("channel_id"), "channel_id"),
            MongoDocs.instant(channel.getValue("last_read_at")));
      }
    }
    return backfill.ready() ? fromCounters(userId, lastRead) : byCounting(userId, lastRead);
  }

  private Future<JsonObject> fromCounters(String userId, Map<String, Instant> lastRead) {
    Future<Map<String, CounterStore.ChannelCount>> channels = counters.channels(lastRead.keySet());
    Future<Map<String, CounterStore.MemberCount>> member = counters.member(userId, lastRead.keySet());
    return Future.all(channels, member).compose(all -> {
      JsonObject activity = new JsonObject();
      List<Future<?>> recounts = new ArrayList<>();
      for (Map.Entry<String, Instant> entry : lastRead.entrySet()) {
        String channelId = entry.getKey();
        CounterStore.ChannelCount channel = channels.result().get(channelId);
        CounterStore.MemberCount counted = member.result().get(channelId);
        long total = channel == null ? 0 : channel.messages();
        JsonObject figures = new JsonObject()
            .put("last_message", channel == null || channel.lastDeleted() ? null : channel.lastContent())
            .put("last_message_at", channel == null ? null : MongoDocs.iso(channel.lastCreatedAt()));
        activity.put(channelId, figures);
        Instant readAt = entry.getValue();
        if (sameMillis(readAt, counted == null ? null : counted.readAt())) {
          figures.put("unread_count", Math.max(0, total - (counted == null ? 0 : counted.counted())));
        } else {
          Map<String, Instant> one = new HashMap<>();
          one.put(channelId, readAt);
          recounts.add(messages.unreadCounts(userId, one).compose(unread -> {
            long exact = unread.getOrDefault(channelId, 0L);
            figures.put("unread_count", exact);
            return counters.setCounted(channelId, userId, Math.max(0, total - exact), readAt);
          }));
        }
      }
      return Future.all(recounts).map(done -> new JsonObject().put("activity", activity));
    });
  }

  /** The figures counted from the messages themselves: before the counters are complete, and for recounts. */
  private Future<JsonObject> byCounting(String userId, Map<String, Instant> lastRead) {
    Future<Map<String, JsonObject>> last = messages.lastMessages(lastRead.keySet().stream().toList());
    Future<Map<String, Long>> unread = messages.unreadCounts(userId, lastRead);
    return Future.all(last, unread).map(all -> {
      JsonObject activity = new JsonObject();
      for (String channelId : lastRead.keySet()) {
        JsonObject message = last.result().get(channelId);
        boolean deleted = message != null && Boolean.TRUE.equals(message.getValue("is_deleted"));
        activity.put(channelId, new JsonObject()
            .put("last_message", message == null || deleted ? null : message.getString("content"))
            .put("last_message_at", message == null ? null : MongoDocs.iso(message.getValue("created_at")))
            .put("unread_count", unread.result().getOrDefault(channelId, 0L)));
      }
      return new JsonObject().put("activity", activity);
    });
  }

  /**
   * {@code readMarked} {channel_id, user_id, last_read_at} → {}: the member has now counted every message of the
   * channel. During a backfill the member's counter is left to be recounted instead (its base is not final yet).
   */
  Future<JsonObject> readMarked(JsonObject body) {
    String userId = Ids.requireObjectId(body.getValue("user_id"), "user_id");
    String channelId = Ids.requireChannel(body.getValue("channel_id"), "channel_id");
    Instant readAt = MongoDocs.instant(body.getValue("last_read_at"));
    if (readAt == null) {
      throw ApiException.validation("Invalid last_read_at", new JsonObject().put("field", "last_read_at"));
    }
    Future<Void> done = backfill.ready()
        ? counters.channelCount(channelId).compose(total -> counters.setCounted(channelId, userId, total, readAt))
        : counters.forgetRead(channelId, userId);
    return done.map(v -> new JsonObject());
  }

  private static boolean sameMillis(Instant a, Instant b) {
    return a == null ? b == null : b != null && a.toEpochMilli() == b.toEpochMilli();
  }

  Future<JsonObject> countMessages() {
    return messages.countLive().map(count -> new JsonObject().put("count", count));
  }
}
