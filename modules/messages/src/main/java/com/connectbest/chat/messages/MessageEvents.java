package com.connectbest.chat.messages;

import com.connectbest.chat.common.Events;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Publishes the live events of a channel to {@code chat.channel.<id>}: {@code {type, channelId, seq, ..., at}}, each
 * numbered, logged and published in seq order by the {@link ChannelSequencer}. Message events carry the spec's flat
 * fields ({@code messageId, channelId, userId, content, user, created_at}) as well as the whole {@code message}.
 */
final class MessageEvents {

  private final ChannelSequencer sequencer;

  MessageEvents(ChannelSequencer sequencer) {
    this.sequencer = sequencer;
  }

  /** A place in the channel's order, taken before a new message is written (its id and seq come from it). */
  ChannelSequencer.Ticket ticket(String channelId) {
    return sequencer.take(channelId);
  }

  /** message_updated, message_pinned, message_unpinned: the message's view. */
  Future<Void> message(String type, JsonObject view) {
    return emit(null, messageEvent(Events.event(type, view.getString("channel_id")), view));
  }

  /**
   * A new top-level message's event. Its stored message is the event's record ({@link MessageEntries} makes it again
   * for a resume), so it is not logged, and its {@code at} is the message's {@code created_at}, as when made again.
   */
  Future<Void> created(JsonObject view, ChannelSequencer.Ticket ticket) {
    return sequencer.emitRecorded(ticket, newMessageEvent(view));
  }

  /** A new thread reply's event; like {@link #created}, recorded by the stored reply. */
  Future<Void> threadReply(JsonObject reply, int replyCount, ChannelSequencer.Ticket ticket) {
    return sequencer.emitRecorded(ticket, threadReplyEvent(reply, replyCount));
  }

  static JsonObject newMessageEvent(JsonObject view) {
    return messageEvent(createdEvent(Events.NEW_MESSAGE, view), view);
  }

  static JsonObject threadReplyEvent(JsonObject reply, int replyCount) {
    return messageEvent(createdEvent(Events.THREAD_REPLY, reply), reply)
        .put("parentMessageId", reply.getString("parent_message_id"))
        .put("reply_count", replyCount);
  }

  /** The head of a new message's event: it happened when the message was created. */
  private static JsonObject createdEvent(String type, JsonObject view) {
    return Events.event(type, view.getString("channel_id"), view.getString("created_at"));
  }

  private static JsonObject messageEvent(JsonObject head, JsonObject view) {
    return flat(head, view).put("message", view);
  }

  /** message_deleted: {messageId, parentMessageId} and, for a thread reply, the thread's new reply_count. */
  Future<Void> deleted(String channelId, String messageId, String parentMessageId, int replyCount) {
    JsonObject event = Events.event(Events.MESSAGE_DELETED, channelId)
        .put("messageId", messageId)
        .put("parentMessageId", parentMessageId);
    if (parentMessageId != null) {
      event.put("reply_count", replyCount);
    }
    return emit(null, event);
  }

  Future<Void> reaction(String type, String channelId, String messageId, String userId, String emoji,
                        JsonArray reactions) {
    return emit(null, Events.event(type, channelId)
        .put("messageId", messageId)
        .put("userId", userId)
        .put("emoji", emoji)
        .put("reactions", reactions));
  }

  /** An event another service asks to have numbered and published on a channel (membership). */
  Future<Void> foreign(JsonObject event) {
    return emit(null, event);
  }

  /** The spec's flat fields of a message event (api-spec.md, "new_message"). */
  static JsonObject flat(JsonObject event, JsonObject view) {
    return event.put("messageId", view.getString("id"))
        .put("userId", view.getString("user_id"))
        .put("content", view.getValue("content"))
        .put("user", view.getValue("user"))
        .put("created_at", view.getValue("created_at"));
  }

  /** Completes once the event is published (the request answers after its event, as before seqs). */
  private Future<Void> emit(ChannelSequencer.Ticket ticket, JsonObject event) {
    return sequencer.emit(ticket != null ? ticket : sequencer.take(event.getString("channelId")), event);
  }
}
