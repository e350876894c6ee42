package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Where conversations live: a DM is a channel of the channels service (membership, read positions) whose messages
 * belong to the messages service. This is the dms service's store layer, reached over the event bus; requests made
 * on a user's behalf carry that user as principal, so the owning service applies its own membership rules.
 */
final class ConversationStore {

  private final ServiceClient services;

  ConversationStore(ServiceClient services) {
    this.services = services;
  }

  /** The conversation of two users, created with both memberships on first use; resolves to its id. */
  Future<String> ensure(String userA, String userB) {
    return services.call(Addresses.CHANNELS, InternalActions.ENSURE_DM_CHANNEL,
            new JsonObject().put("user_ids", new JsonArray().add(userA).add(userB)))
        .map(reply -> reply.getString("channel_id"));
  }

  /** The most conversations one {@code channelActivity} call takes. */
  static final int ACTIVITY_BATCH = 1000;

  /** {@code [{channel_id, last_read_at|null}]}: every conversation of the user. */
  Future<JsonArray> readStates(String userId) {
    return services.call(Addresses.CHANNELS, InternalActions.DM_READ_STATES, new JsonObject().put("user_id", userId))
        .map(reply -> reply.getJsonArray("dms", new JsonArray()));
  }

  /**
   * {@code {<channel_id>: {last_message, last_message_at, unread_count}}} for the given read states: one
   * {@code channelActivity} call per {@value #ACTIVITY_BATCH} conversations (what it takes), one for most users.
   */
  Future<JsonObject> activity(String userId, JsonArray readStates) {
    java.util.List<Future<JsonObject>> calls = new java.util.ArrayList<>();
    for (int from = 0; from < readStates.size(); from += ACTIVITY_BATCH) {
      JsonArray chunk = new JsonArray(readStates.getList().subList(from, Math.min(readStates.size(), from + ACTIVITY_BATCH)));
      calls.add(services.call(Addresses.MESSAGES, InternalActions.CHANNEL_ACTIVITY,
              new JsonObject().put("user_id", userId).put("channels", chunk))
          .map(reply -> reply.getJsonObject("activity", new JsonObject())));
    }
    return Future.all(calls).map(done -> {
      JsonObject activity = new JsonObject();
      calls.forEach(call -> activity.mergeIn(call.result()));
      return activity;
    });
  }

  /** {@code {messages, has_more}}: a page, as the messages service pages channels. */
  Future<JsonObject> page(Principal caller, String dmId, JsonObject query, String requestId) {
    return onBehalf(Addresses.MESSAGES, "listChannelMessages", caller, dmId, query, null, requestId);
  }

  /** The stored message's view; {@code replayed} when an earlier send with the same idempotency key stored it. */
  record Sent(JsonObject message, boolean replayed) {
  }

  /** Sends as the caller, passing the idempotency key on, so the messages service stores the message once. */
  Future<Sent> send(Principal caller, String dmId, JsonObject body, String requestId, String idempotencyKey) {
    ServiceRequest request = new ServiceRequest("sendMessage", caller, new JsonObject().put("channelId", dmId),
        new JsonObject(), body, requestId, idempotencyKey);
    return services.send(Addresses.MESSAGES, request).map(reply -> new Sent(
        reply.body() instanceof JsonObject object ? object.getJsonObject("message") : null,
        reply.headers() != null && "true".equals(reply.headers().getString(IdempotencyKey.REPLAYED_HEADER))));
  }

  /** {@code {message, data: {user_id, channel_id, last_read_at}}}. */
  Future<JsonObject> markRead(Principal caller, String dmId, String requestId) {
    return onBehalf(Addresses.CHANNELS, "markChannelRead", caller, dmId, new JsonObject(), null, requestId);
  }

  private Future<JsonObject> onBehalf(String address, String action, Principal caller, String dmId, JsonObject query,
                                      JsonObject body, String requestId) {
    ServiceRequest request = new ServiceRequest(action, caller, new JsonObject().put("channelId", dmId), query, body,
        requestId);
    return services.send(address, request)
        .map(reply -> reply.body() instanceof JsonObject object ? object : new JsonObject());
  }
}
