package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Internal figures for other services: per-channel activity (channel lists, DM lists) and message counts. */
final class ActivityService {

  static final int MAX_CHANNELS = 1000;

  private final MessageStore messages;

  ActivityService(MessageStore messages) {
    this.messages = messages;
  }

  /**
   * {@code channelActivity} {user_id, channels: [{channel_id, last_read_at|null}]} →
   * {activity: {channel_id: {last_message, last_message_at, unread_count}}}, with two aggregations in all.
   */
  Future<JsonObject> channelActivity(JsonObject body) {
    String userId = Ids.requireObjectId(body.getValue("user_id"), "user_id");
    JsonArray requested = body.getJsonArray("channels", new JsonArray());
    if (requested.size() > MAX_CHANNELS) {
      throw ApiException.validation("Too many channels (max " + MAX_CHANNELS + ")",
          new JsonObject().put("field", "channels"));
    }
    Map<String, Instant> lastRead = new LinkedHashMap<>();
    for (Object item : requested) {
      if (item instanceof JsonObject channel && ChannelIds.isValid(channel.getValue("channel_id"))) {
        lastRead.put(ChannelIds.require(channel.getValue("channel_id"), "channel_id"),
            MongoDocs.instant(channel.getValue("last_read_at")));
      }
    }
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

  Future<JsonObject> countMessages() {
    return messages.countLive().map(count -> new JsonObject().put("count", count));
  }
}
