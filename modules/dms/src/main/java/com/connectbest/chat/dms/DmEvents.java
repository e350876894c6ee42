package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.FileLinks;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Pushes a direct message to both participants' personal addresses ({@code chat.user.<id>}), so a client learns of
 * new conversations without registering on each one; the sender's other sessions see it too.
 */
final class DmEvents {

  private final EventBus bus;

  DmEvents(EventBus bus) {
    this.bus = bus;
  }

  void newMessage(String senderId, String recipientId, JsonObject view) {
    JsonObject event = Events.event(Events.NEW_MESSAGE, view.getString("channel_id"))
        .put("messageId", view.getString("id"))
        .put("message", withoutViewerState(view));
    bus.publish(Addresses.user(recipientId), event);
    bus.publish(Addresses.user(senderId), event);
  }

  /**
   * The view as live events carry it: the sender's answer is personalised for the sender (bookmark state, file links
   * signed for the sender), which must not reach the recipient.
   */
  static JsonObject withoutViewerState(JsonObject view) {
    JsonObject plain = view.copy().put("bookmarked", false).put("bookmarked_by_users", new JsonArray());
    if (plain.getValue("attachments") instanceof JsonArray attachments) {
      attachments.forEach(item -> {
        if (item instanceof JsonObject attachment && attachment.getValue("url") instanceof String url
            && FileLinks.keyOf(url) != null) {
          attachment.put("url", FileLinks.withoutQuery(url));
        }
      });
    }
    return plain;
  }
}
