package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Publishes the live events of a channel to {@code chat.channel.<id>}: {@code {type, channelId, ..., at}}. */
final class ChannelEvents {

  private final EventBus bus;

  ChannelEvents(EventBus bus) {
    this.bus = bus;
  }

  /** new_message, message_updated, message_pinned, message_unpinned: the message's view. */
  void message(String type, JsonObject view) {
    publish(Events.event(type, view.getString("channel_id"))
        .put("messageId", view.getString("id"))
        .put("message", view));
  }

  void threadReply(JsonObject reply, int replyCount) {
    publish(Events.event(Events.THREAD_REPLY, reply.getString("channel_id"))
        .put("parentMessageId", reply.getString("parent_message_id"))
        .put("message", reply)
        .put("reply_count", replyCount));
  }

  /** message_deleted: {messageId, parentMessageId} and, for a thread reply, the thread's new reply_count. */
  void deleted(String channelId, String messageId, String parentMessageId, int replyCount) {
    JsonObject event = Events.event(Events.MESSAGE_DELETED, channelId)
        .put("messageId", messageId)
        .put("parentMessageId", parentMessageId);
    if (parentMessageId != null) {
      event.put("reply_count", replyCount);
    }
    publish(event);
  }

  void reaction(String type, String channelId, String messageId, String userId, String emoji, JsonArray reactions) {
    publish(Events.event(type, channelId)
        .put("messageId", messageId)
        .put("userId", userId)
        .put("emoji", emoji)
        .put("reactions", reactions));
  }

  private void publish(JsonObject event) {
    bus.publish(Addresses.channel(event.getString("channelId")), event);
  }
}
