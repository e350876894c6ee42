package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** What members do in a channel besides writing: read positions and typing indicators. DMs included. */
final class ActivityService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ActivityService.class);

  private final ReadStateStore reads;
  private final TypingBoard typing;
  private final ChannelGuard guard;
  private final UserDirectory directory;
  private final ChannelEvents events;
  private final ServiceClient services;

  ActivityService(ReadStateStore reads, TypingBoard typing, ChannelGuard guard, UserDirectory directory,
                  ChannelEvents events, ServiceClient services) {
    this.services = services;
    this.reads = reads;
    this.typing = typing;
    this.guard = guard;
    this.directory = directory;
    this.events = events;
  }

  Future<JsonObject> markRead(Principal caller, String channelId) {
    Instant now = ChannelViews.now();
    return guard.memberOf(channelId, caller.id())
        .compose(channel -> reads.markRead(caller.id(), channelId, now))
        .map(v -> {
          readNotice(caller.id(), channelId, now);
          events.read(channelId, caller.id(), now);
          return new JsonObject().put("message", "Marked as read").put("data", new JsonObject()
              .put("user_id", caller.id()).put("channel_id", channelId).put("last_read_at", now.toString()));
        });
  }

  /**
   * Tells the messages service, which keeps the unread counters, without waiting: the read mark is stored already
   * and must not wait on (or fail with) another service. A notice that is late, lost or overtaken by a later one
   * leaves the member's counter at another read position than the stored one, so the messages service recounts
   * that member once at the next channel list.
   */
  private void readNotice(String userId, String channelId, Instant at) {
    services.call(Addresses.MESSAGES, InternalActions.READ_MARKED, new JsonObject().put("channel_id", channelId)
            .put("user_id", userId).put("last_read_at", at.toString()))
        .onFailure(err -> LOG.debug("Read notice for {} not delivered: {}", channelId, err.getMessage()));
  }

  Future<JsonObject> setTyping(Principal caller, String channelId, JsonObject body) {
    boolean typingNow = ChannelRules.typing(body.getValue("typing"));
    return guard.memberOf(channelId, caller.id())
        .map(channel -> {
          typing.set(channelId, caller.id(), typingNow);
          events.typing(channelId, caller.id(), caller.name(), typingNow);
          return new JsonObject().put("message", "Typing status updated");
        });
  }

  /** Names of the other members whose typing signal is younger than the window. */
  Future<JsonObject> typingUsers(Principal caller, String channelId) {
    return guard.memberOf(channelId, caller.id())
        .compose(channel -> {
          List<String> others = typing.typing(channelId).stream()
              .filter(id -> !id.equals(caller.id())).toList();
          return directory.lookup(others).map(users -> new JsonObject().put("typing_users", new JsonArray(others.stream()
              .map(users::get).filter(user -> user != null && user.getString("name") != null)
              .map(user -> user.getString("name")).toList())));
        });
  }
}
