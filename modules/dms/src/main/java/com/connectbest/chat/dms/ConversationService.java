package com.connectbest.chat.dms;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct-message conversations: the caller's list, a conversation's pages, sending, and read positions. */
final class ConversationService {

  static final String RECIPIENT_NOT_FOUND = "Recipient not found";
  static final String NOT_A_PARTICIPANT = "You are not a participant of this conversation";

  /** The answer to a send: {@code {message, dm_channel_id}}, and whether it repeats an earlier send's. */
  record Delivered(JsonObject body, boolean replayed) {
  }

  private final ConversationStore conversations;
  private final UserDirectory directory;
  private final DmEvents events;

  ConversationService(ConversationStore conversations, UserDirectory directory, DmEvents events) {
    this.conversations = conversations;
    this.directory = directory;
    this.events = events;
  }

  /**
   * One row per partner of a conversation that has messages, most recent first: three bus calls in all (read states,
   * activity, partners), however many conversations there are.
   */
  Future<JsonObject> list(Principal caller) {
    return conversations.readStates(caller.id()).compose(states -> {
      if (states.isEmpty()) {
        return Future.succeededFuture(List.<JsonObject>of());
      }
      Map<String, String> partners = new LinkedHashMap<>();
      states.stream().map(JsonObject.class::cast).map(state -> state.getString("channel_id"))
          .forEach(dmId -> partners.put(dmId, DmIds.parse(dmId).partnerOf(caller.id())));
      return Future.all(conversations.activity(caller.id(), states), directory.lookup(partners.values()))
          .map(all -> rows(partners, all.resultAt(0), all.resultAt(1)));
    }).map(rows -> new JsonObject().put("conversations", new JsonArray(rows)));
  }

  Future<JsonObject> messages(Principal caller, Object recipientParam, JsonObject query, String requestId) {
    String recipientId = DmIds.recipient(recipientParam, caller.id(), DmIds.NO_SELF_CONVERSATION);
    return open(caller, recipientId)
        .compose(dmId -> conversations.page(caller, dmId, query, requestId).map(page -> page.put("dm_channel_id", dmId)));
  }

  /**
   * Sends a direct message. With an idempotency key (already resolved from header and body), a repeat within the
   * key's lifetime answers the first message again and pushes nothing: {@code replayed} says so.
   */
  Future<Delivered> send(Principal caller, Object recipientParam, JsonObject body, String requestId,
                                      String idempotencyKey) {
    String recipientId = DmIds.recipient(recipientParam, caller.id(), DmIds.NO_SELF_SEND);
    // Only what a direct message may carry: threads stay a channel feature.
    JsonObject message = new JsonObject().put("content", body.getValue("content"))
        .put("attachments", body.getValue("attachments"));
    return open(caller, recipientId)
        .compose(dmId -> conversations.send(caller, dmId, message, requestId, idempotencyKey).compose(sent ->
            (sent.replayed() ? Future.<Void>succeededFuture() : events.newMessage(caller.id(), recipientId,
                sent.message()))
                .map(pushed -> new Delivered(new JsonObject().put("message", sent.message()).put("dm_channel_id", dmId),
                    sent.replayed()))));
  }

  Future<JsonObject> markRead(Principal caller, Object dmChannelParam, String requestId) {
    DmIds.Participants participants = DmIds.parse(dmChannelParam);
    if (!participants.includes(caller.id())) {
      return Future.failedFuture(ApiException.forbidden(NOT_A_PARTICIPANT));
    }
    return open(caller, participants.partnerOf(caller.id()))
        .compose(dmId -> conversations.markRead(caller, dmId, requestId));
  }

  /** The conversation with an existing user, created on first use; 404 when there is no such user. */
  private Future<String> open(Principal caller, String partnerId) {
    return directory.lookup(List.of(partnerId)).compose(found -> found.containsKey(partnerId)
        ? conversations.ensure(caller.id(), partnerId)
        : Future.failedFuture(ApiException.notFound(RECIPIENT_NOT_FOUND)));
  }

  /** @param partners conversation id → the other participant's id */
  private static List<JsonObject> rows(Map<String, String> partners, JsonObject activity, Map<String, JsonObject> users) {
    List<JsonObject> rows = new ArrayList<>();
    for (Map.Entry<String, String> conversation : partners.entrySet()) {
      String dmId = conversation.getKey();
      String partnerId = conversation.getValue();
      JsonObject partner = users.get(partnerId);
      JsonObject figures = activity.getJsonObject(dmId);
      if (partner == null || figures == null || figures.getString("last_message_at") == null) {
        continue;
      }
      rows.add(new JsonObject()
          .put("dm_channel_id", dmId)
          .put("user_id", partnerId)
          .put("user_name", partner.getString("name", ""))
          .put("user_email", partner.getString("email", ""))
          .put("user_avatar", partner.getString("avatar"))
          .put("user_status", partner.getString("status", "offline"))
          .put("last_message", figures.getString("last_message"))
          .put("last_message_at", figures.getString("last_message_at"))
          .put("unreadCount", figures.getLong("unread_count", 0L)));
    }
    rows.sort(Comparator.comparing((JsonObject row) -> row.getString("last_message_at")).reversed());
    return rows;
  }
}
