package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Names and shape of the live events pushed to browsers: {@code {type, channelId, ..., at}}. */
public final class Events {

  public static final String NEW_MESSAGE = "new_message";
  public static final String MESSAGE_UPDATED = "message_updated";
  public static final String MESSAGE_DELETED = "message_deleted";
  public static final String REACTION_ADDED = "reaction_added";
  public static final String REACTION_REMOVED = "reaction_removed";
  public static final String THREAD_REPLY = "thread_reply";
  public static final String TYPING = "typing";
  public static final String MEMBER_JOINED = "member_joined";
  public static final String MEMBER_LEFT = "member_left";
  public static final String READ = "read";
  public static final String MESSAGE_PINNED = "message_pinned";
  public static final String MESSAGE_UNPINNED = "message_unpinned";

  private Events() {
  }

  public static JsonObject event(String type, String channelId) {
    return event(type, channelId, Instant.now().toString());
  }

  /** An event that happened at {@code at} (ISO-8601), not now: a new message's is its {@code created_at}. */
  public static JsonObject event(String type, String channelId, String at) {
    return new JsonObject().put("type", type).put("channelId", channelId).put("at", at);
  }
}
