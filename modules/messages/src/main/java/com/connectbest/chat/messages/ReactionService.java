package com.connectbest.chat.messages;

import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Emoji reactions: one per user, message and emoji; members of the message's channel only. */
final class ReactionService {

  private final ReactionStore reactions;
  private final VisibleMessages visible;
  private final MessageEvents events;

  ReactionService(ReactionStore reactions, VisibleMessages visible, MessageEvents events) {
    this.reactions = reactions;
    this.visible = visible;
    this.events = events;
  }

  /** {@code addReaction}: idempotent; the event is published only when the reaction is new. */
  Future<JsonObject> add(Principal caller, Object channelIdParam, Object messageIdParam, JsonObject body) {
    String channelId = Ids.requireChannel(channelIdParam, "channelId");
    return visible.findLiveInChannel(channelId, messageIdParam, caller.id()).compose(doc -> {
      String emoji = MessageRules.emoji(body.getValue("emoji"));
      String messageId = MongoDocs.id(doc);
      return reactions.add(messageId, caller.id(), emoji, Clock.now())
          .compose(added -> reactions.summary(messageId).compose(summary -> (added
              ? events.reaction(Events.REACTION_ADDED, channelId, messageId, caller.id(), emoji, summary)
              : Future.<Void>succeededFuture()).map(published -> new JsonObject()
                .put("success", true)
                .put("reaction", new JsonObject().put("messageId", messageId).put("userId", caller.id())
                    .put("emoji", emoji))
                .put("reactions", summary))));
    });
  }

  /**
   * {@code removeReaction}: the emoji comes from the body or the {@code emoji} query parameter. With neither (the
   * original frontend sends a bodyless DELETE) all of the caller's reactions to the message are removed.
   */
  Future<JsonObject> remove(Principal caller, Object channelIdParam, Object messageIdParam, JsonObject body,
                            JsonObject query) {
    String channelId = Ids.requireChannel(channelIdParam, "channelId");
    return visible.findLiveInChannel(channelId, messageIdParam, caller.id()).compose(doc -> {
      Object given = body.getValue("emoji") != null ? body.getValue("emoji") : query.getValue("emoji");
      String messageId = MongoDocs.id(doc);
      if (given == null && !body.containsKey("emoji")) {
        return reactions.removeAll(messageId, caller.id())
            .compose(removed -> reactions.summary(messageId).compose(summary -> Future.all(removed.stream()
                    .map(emoji -> events.reaction(Events.REACTION_REMOVED, channelId, messageId, caller.id(), emoji,
                        summary)).toList())
                .map(published -> new JsonObject().put("success", true).put("reactions", summary))));
      }
      String emoji = MessageRules.emoji(given);
      return reactions.remove(messageId, caller.id(), emoji)
          .compose(removed -> reactions.summary(messageId).compose(summary -> (removed
              ? events.reaction(Events.REACTION_REMOVED, channelId, messageId, caller.id(), emoji, summary)
              : Future.<Void>succeededFuture()).map(published -> new JsonObject().put("success", true)
                  .put("reactions", summary))));
    });
  }
}
