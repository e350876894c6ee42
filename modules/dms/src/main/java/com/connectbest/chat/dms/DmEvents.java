package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import io.vertx.core.eventbus.EventBus;
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
        // The spec's flat fields (api-spec.md, "new_message"), as on channel addresses.
        .put("userId", view.getString("user_id"))
        .put("content", view.getValue("content"))
        .put("user", view.getValue("user"))
        .put("created_at", view.getValue("created_at"))
        .put("message", view);
    bus.publish(Addresses.user(recipientId), event);
    bus.publish(Addresses.user(senderId), event);
  }
}
