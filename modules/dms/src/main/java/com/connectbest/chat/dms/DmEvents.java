package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.FileLinks;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Pushes a direct message to both participants' personal addresses ({@code chat.user.<id>}), so a client learns of
 * new conversations without registering on each one; the sender's other sessions see it too. The messages service
 * numbers each copy with the user's {@code seq} and logs it for {@code listMyEvents} ({@code appendUserEvent}); when
 * it cannot be reached, the copies are published here without a seq (live only).
 */
final class DmEvents {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DmEvents.class);

  private final EventBus bus;
  private final ServiceClient services;

  DmEvents(EventBus bus, ServiceClient services) {
    this.bus = bus;
    this.services = services;
  }

  /** Completes once both copies are published (a send answers after its event, as a channel send does). */
  Future<Void> newMessage(String senderId, String recipientId, JsonObject view) {
    JsonObject event = Events.event(Events.NEW_MESSAGE, view.getString("channel_id"))
        .put("messageId", view.getString("id"))
        // The spec's flat fields (api-spec.md, "new_message"), as on channel addresses.
        .put("userId", view.getString("user_id"))
        .put("content", view.getValue("content"))
        .put("user", view.getValue("user"))
        .put("created_at", view.getValue("created_at"))
        .put("message", withoutViewerState(view));
    return services.call(Addresses.MESSAGES, InternalActions.APPEND_USER_EVENT, new JsonObject()
            .put("user_ids", new JsonArray().add(recipientId).add(senderId)).put("event", event))
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("A direct message event is published without a seq: {}", err.getMessage());
          bus.publish(Addresses.user(recipientId), event);
          bus.publish(Addresses.user(senderId), event);
          return Future.succeededFuture();
        });
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
