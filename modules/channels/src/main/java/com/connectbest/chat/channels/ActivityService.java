package com.connectbest.chat.channels;

import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** What members do in a channel besides writing: read positions and typing indicators. DMs included. */
final class ActivityService {

  private final ReadStateStore reads;
  private final TypingStore typing;
  private final ChannelGuard guard;
  private final UserDirectory directory;
  private final ChannelEvents events;
  private final long typingWindowMs;

  ActivityService(ReadStateStore reads, TypingStore typing, ChannelGuard guard, UserDirectory directory,
                  ChannelEvents events, long typingWindowMs) {
    this.reads = reads;
    this.typing = typing;
    this.guard = guard;
    this.directory = directory;
    this.events = events;
    this.typingWindowMs = typingWindowMs;
  }

  Future<JsonObject> markRead(Principal caller, String channelId) {
    Instant now = ChannelViews.now();
    return guard.memberOf(channelId, caller.id())
        .compose(channel -> reads.markRead(caller.id(), channelId, now))
        .map(v -> {
          events.read(channelId, caller.id(), now);
          return new JsonObject().put("message", "Marked as read").put("data", new JsonObject()
              .put("user_id", caller.id()).put("channel_id", channelId).put("last_read_at", now.toString()));
        });
  }

  Future<JsonObject> setTyping(Principal caller, String channelId, JsonObject body) {
    boolean typingNow = ChannelRules.typing(body.getValue("typing"));
    return guard.memberOf(channelId, caller.id())
        .compose(channel -> typingNow
            ? typing.start(channelId, caller.id(), ChannelViews.now())
            : typing.stop(channelId, caller.id()))
        .map(v -> {
          events.typing(channelId, caller.id(), caller.name(), typingNow);
          return new JsonObject().put("message", "Typing status updated");
        });
  }

  /** Names of the other members whose typing entry is younger than the window; older entries are deleted. */
  Future<JsonObject> typingUsers(Principal caller, String channelId) {
    Instant cutoff = ChannelViews.now().minusMillis(typingWindowMs);
    return guard.memberOf(channelId, caller.id())
        .compose(channel -> typing.purge(channelId, cutoff))
        .compose(v -> typing.since(channelId, cutoff))
        .compose(entries -> {
          List<String> others = entries.stream().map(entry -> entry.getString("user_id"))
              .filter(id -> id != null && !id.equals(caller.id())).distinct().toList();
          return directory.lookup(others).map(users -> new JsonObject().put("typing_users", new JsonArray(others.stream()
              .map(users::get).filter(user -> user != null && user.getString("name") != null)
              .map(user -> user.getString("name")).toList())));
        });
  }
}
