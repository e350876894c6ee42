package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Pinned messages: any member of the channel may pin or unpin; deleted messages are never pinned. */
final class PinService {

  /** The most recently pinned shown; {@code has_more} says when older pins exist (the contract states the bound). */
  static final int MAX_PINS = 100;

  private final MessageStore messages;
  private final ChannelAccess access;
  private final VisibleMessages visible;
  private final MessageRenderer renderer;
  private final MessageEvents events;

  PinService(MessageStore messages, ChannelAccess access, VisibleMessages visible, MessageRenderer renderer,
             MessageEvents events) {
    this.messages = messages;
    this.access = access;
    this.visible = visible;
    this.renderer = renderer;
    this.events = events;
  }

  /** Pins (or unpins) the message named by the path: {messageId}, optionally with the {channelId} it must be in. */
  Future<JsonObject> setPinned(Principal caller, JsonObject path, boolean pinned) {
    Object channelIdParam = path.getValue("channelId");
    Future<JsonObject> found = channelIdParam == null
        ? visible.findLive(path.getValue("messageId"), caller.id())
        : visible.findLiveInChannel(Ids.requireChannel(channelIdParam, "channelId"), path.getValue("messageId"),
            caller.id());
    return found
        .compose(doc -> messages.setPinned(MongoDocs.id(doc), pinned, caller.id(), Clock.now()))
        .compose(updated -> updated == null
            ? Future.failedFuture(ApiException.notFound(VisibleMessages.NOT_FOUND))
            : renderer.render(updated))
        .compose(view -> events.message(pinned ? Events.MESSAGE_PINNED : Events.MESSAGE_UNPINNED, view)
            .map(published -> new JsonObject().put("message", view)));
  }

  Future<JsonObject> list(Principal caller, Object channelIdParam) {
    String channelId = Ids.requireChannel(channelIdParam, "channelId");
    return access.requireMember(channelId, caller.id())
        .compose(member -> messages.pinned(channelId, MAX_PINS + 1))
        .compose(found -> {
          boolean more = found.size() > MAX_PINS;
          return renderer.render(more ? found.subList(0, MAX_PINS) : found)
              .map(views -> new JsonObject().put("messages", new JsonArray(views)).put("has_more", more));
        });
  }
}
