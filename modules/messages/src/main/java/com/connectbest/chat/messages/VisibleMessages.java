package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Looks messages up by id for a caller. A message whose channel the caller cannot read is answered exactly like
 * an unknown one (404), so that ids never reveal that a message exists.
 */
final class VisibleMessages {

  static final String NOT_FOUND = "Message not found";

  private final MessageStore messages;
  private final ChannelAccess access;

  VisibleMessages(MessageStore messages, ChannelAccess access) {
    this.messages = messages;
    this.access = access;
  }

  /** The message (deleted or not) if the caller is a member of its channel; otherwise a 404 with the sentence. */
  Future<JsonObject> find(Object messageId, String userId, String notFound) {
    String id = Ids.requireObjectId(messageId, "messageId");
    return messages.findById(id).compose(doc -> {
      if (doc == null) {
        return Future.failedFuture(ApiException.notFound(notFound));
      }
      return access.canRead(doc.getString("channel_id"), userId).compose(visible -> visible
          ? Future.succeededFuture(doc)
          : Future.failedFuture(ApiException.notFound(notFound)));
    });
  }

  Future<JsonObject> find(Object messageId, String userId) {
    return find(messageId, userId, NOT_FOUND);
  }

  /** As {@link #find(Object, String)}, but a deleted message counts as not found. */
  Future<JsonObject> findLive(Object messageId, String userId) {
    return find(messageId, userId).compose(doc -> MessageView.isDeleted(doc)
        ? Future.failedFuture(ApiException.notFound(NOT_FOUND))
        : Future.succeededFuture(doc));
  }

  /**
   * A live message addressed through a channel path: the caller must be a member (404/403 as for the channel),
   * and the message must belong to that channel (else 404).
   */
  Future<JsonObject> findLiveInChannel(String channelId, Object messageId, String userId) {
    String id = Ids.requireObjectId(messageId, "messageId");
    return access.requireMember(channelId, userId)
        .compose(member -> messages.findById(id))
        .compose(doc -> doc == null || MessageView.isDeleted(doc) || !channelId.equals(doc.getString("channel_id"))
            ? Future.failedFuture(ApiException.notFound(NOT_FOUND))
            : Future.succeededFuture(doc));
  }
}
