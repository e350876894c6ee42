package com.connectbest.chat.messages;

import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code listChannelEvents}: what a member missed on a channel's address, for resuming after a gap. */
final class ChannelEventService {

  static final int MAX_PAGE = 1000;

  private final ChannelAccess access;
  private final ChannelEventLog log;
  private final ChannelEvents events;

  ChannelEventService(ChannelAccess access, ChannelEventLog log, ChannelEvents events) {
    this.access = access;
    this.log = log;
    this.events = events;
  }

  /** {@code {events, has_more, latest_seq}}, or 410 beyond the retained window; members only. */
  Future<JsonObject> since(Principal caller, Object channelIdParam, JsonObject query) {
    String channelId = ChannelIds.require(channelIdParam, "channelId");
    long after = ChannelEventLog.afterSeq(query.getValue("after_seq"));
    int limit = MessageRules.limit(query.getValue("limit"), ChannelEventLog.DEFAULT_PAGE, MAX_PAGE);
    return access.requireMember(channelId, caller.id()).compose(member -> log.since(channelId, after, limit));
  }

  /**
   * {@code appendChannelEvent} (internal): an event of another service for a channel's address (membership), to be
   * numbered and published in order with the channel's other events. Answers once it is published.
   */
  Future<JsonObject> append(JsonObject event) {
    String channelId = ChannelIds.require(event.getValue("channelId"), "channelId");
    return events.foreign(event.copy().put("channelId", channelId)).map(published -> new JsonObject());
  }
}
