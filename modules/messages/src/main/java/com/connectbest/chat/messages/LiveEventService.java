package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resuming live events after a gap ({@code listChannelEvents}, {@code listMyEvents}), and numbering the events other
 * services publish on channel and user addresses ({@code appendChannelEvent}, {@code appendUserEvent}).
 */
final class LiveEventService {

  static final int MAX_PAGE = 1000;
  /** A user event names its recipients; more than a DM's two is not what this action is for. */
  static final int MAX_RECIPIENTS = 10;

  private final ChannelAccess access;
  private final EventLog channelLog;
  /** The channel events not in the log: new messages and replies, made from the stored messages. */
  private final EventLog.Recorded messageEntries;
  private final MessageEvents events;
  private final EventLog userLog;
  private final ChannelSequencer userSequencer;

  LiveEventService(ChannelAccess access, EventLog channelLog, EventLog.Recorded messageEntries, MessageEvents events,
                   EventLog userLog, ChannelSequencer userSequencer) {
    this.access = access;
    this.channelLog = channelLog;
    this.messageEntries = messageEntries;
    this.events = events;
    this.userLog = userLog;
    this.userSequencer = userSequencer;
  }

  /** {@code listChannelEvents}: {@code {events, has_more, latest_seq}}, or 410 beyond the window; members only. */
  Future<JsonObject> since(Principal caller, Object channelIdParam, JsonObject query) {
    String channelId = Ids.requireChannel(channelIdParam, "channelId");
    long after = EventLog.afterSeq(query.getValue("after_seq"));
    int limit = MessageRules.limit(query.getValue("limit"), EventLog.DEFAULT_PAGE, MAX_PAGE);
    return access.requireMember(channelId, caller.id()).compose(member -> channelLog.since(channelId, after, limit,
        messageEntries));
  }

  /** {@code listMyEvents}: the same for the caller's own address {@code chat.user.<id>}. */
  Future<JsonObject> mine(Principal caller, JsonObject query) {
    long after = EventLog.afterSeq(query.getValue("after_seq"));
    int limit = MessageRules.limit(query.getValue("limit"), EventLog.DEFAULT_PAGE, MAX_PAGE);
    return userLog.since(caller.id(), after, limit);
  }

  /**
   * {@code appendChannelEvent} (internal): an event of another service for a channel's address (membership), to be
   * numbered and published in order with the channel's other events. Answers once it is published.
   */
  Future<JsonObject> append(JsonObject event) {
    String channelId = Ids.requireChannel(event.getValue("channelId"), "channelId");
    return events.foreign(event.copy().put("channelId", channelId)).map(published -> new JsonObject());
  }

  /**
   * {@code appendUserEvent} (internal): {@code {user_ids, event}}: the event is numbered per user (each recipient
   * gets a copy with its own {@code seq}), logged, and published on each {@code chat.user.<id>} in order.
   */
  Future<JsonObject> appendForUsers(JsonObject body) {
    Object ids = body.getValue("user_ids");
    Object event = body.getValue("event");
    if (!(ids instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_RECIPIENTS
        || !(event instanceof JsonObject template) || !(template.getValue("type") instanceof String)) {
      return Future.failedFuture(ApiException.validation(
          "user_ids (1-" + MAX_RECIPIENTS + ") and an event are required",
          new JsonObject().put("field", "user_ids")));
    }
    Set<String> users = new LinkedHashSet<>();
    for (Object id : list) {
      users.add(Ids.requireObjectId(id, "user_ids"));
    }
    List<Future<Void>> published = new ArrayList<>();
    for (String user : users) {
      published.add(userSequencer.emit(userSequencer.take(user), template.copy()));
    }
    return Future.all(published).map(done -> new JsonObject());
  }
}
