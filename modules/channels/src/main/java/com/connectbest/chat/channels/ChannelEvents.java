package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the channels service publishes: live events for browsers ({@code chat.channel.<id>}, {@code chat.user.<id>})
 * and {@code events.membership.changed}, on which membership caches elsewhere invalidate. Membership events for a
 * channel's address go through the messages service ({@code appendChannelEvent}), which numbers them ({@code seq})
 * and publishes them in order with the channel's message events, so a client can resume them; when it cannot be
 * reached they are published here, without a seq (live only). Events for a user's address ({@code read}, membership)
 * go the same way through {@code appendUserEvent}, numbered per user.
 */
final class ChannelEvents {

  static final String JOINED = "joined";
  static final String LEFT = "left";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChannelEvents.class);

  private final EventBus bus;
  private final ServiceClient services;

  ChannelEvents(EventBus bus, ServiceClient services) {
    this.bus = bus;
    this.services = services;
  }

  /** Completes once the event is in the channel's log (or, the log out of reach, published live); never fails. */
  Future<Void> joined(String channelId, String userId) {
    return membership(Events.MEMBER_JOINED, JOINED, channelId, userId);
  }

  /** As {@link #joined}. */
  Future<Void> left(String channelId, String userId) {
    return membership(Events.MEMBER_LEFT, LEFT, channelId, userId);
  }

  /** Only the cache invalidation: for memberships no browser needs to hear about (new channels, new DMs). */
  void membershipChanged(String channelId, String userId, String change) {
    bus.publish(Addresses.MEMBERSHIP_CHANGED,
        new JsonObject().put("channel_id", channelId).put("user_id", userId).put("change", change));
  }

  void read(String channelId, String userId, Instant at) {
    toUser(userId, Events.event(Events.READ, channelId).put("userId", userId).put("last_read_at", at.toString()));
  }

  void typing(String channelId, String userId, String name, boolean typing) {
    bus.publish(Addresses.channel(channelId), Events.event(Events.TYPING, channelId)
        .put("userId", userId).put("name", name).put("typing", typing));
  }

  /**
   * The request that changed the membership answers once its channel event is logged, so a client that resumes
   * right after the answer ({@code listChannelEvents}) finds it, as with a message's send.
   */
  private Future<Void> membership(String type, String change, String channelId, String userId) {
    membershipChanged(channelId, userId, change);
    JsonObject event = Events.event(type, channelId).put("userId", userId);
    Future<Void> logged = services.call(Addresses.MESSAGES, InternalActions.APPEND_CHANNEL_EVENT, event.copy())
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("A {} event is published without a seq: {}", type, err.getMessage());
          bus.publish(Addresses.channel(channelId), event.copy());
          return Future.succeededFuture();
        });
    toUser(userId, event);
    return logged;
  }

  /** An event for {@code chat.user.<id>}, numbered with the user's seq by the messages service when it answers. */
  private void toUser(String userId, JsonObject event) {
    services.call(Addresses.MESSAGES, InternalActions.APPEND_USER_EVENT, new JsonObject()
        .put("user_ids", new io.vertx.core.json.JsonArray().add(userId)).put("event", event.copy())).onFailure(err -> {
          LOG.warn("A {} event is published without a seq: {}", event.getString("type"), err.getMessage());
          bus.publish(Addresses.user(userId), event);
        });
  }
}
