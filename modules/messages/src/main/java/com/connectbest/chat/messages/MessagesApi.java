package com.connectbest.chat.messages;

import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;

/** The messages service's event-bus API: one handler per operation, delegating to the app logic. */
final class MessagesApi {

  /** The services behind the handlers. */
  record Services(MessageService messages, ReactionService reactions, BookmarkService bookmarks, PinService pins,
                  ReadReceiptService receipts, SearchService search, ChannelActivityService activity,
                  FileVisibility files, ViewerState viewer, MessageStats stats, LiveEventService events) {
  }

  private MessagesApi() {
  }

  static void register(ServiceDispatcher dispatcher, Services s) {
    dispatcher
        .on("listChannelMessages", rendered(s, (caller, r) ->
            s.messages().list(caller, path(r, "channelId"), r.query())))
        .on("sendMessage", sent(s, "message", (caller, r) ->
            s.messages().send(caller, path(r, "channelId"), r.bodyObject(), IdempotencyKey.of(r))))
        .on("getMessage", rendered(s, (caller, r) -> s.messages().get(caller, path(r, "messageId"))))
        .on("editMessage", ok(s, (caller, r) -> s.messages().edit(caller, path(r, "messageId"), r.bodyObject())))
        .on("deleteMessage", ok(s, (caller, r) -> s.messages().delete(caller, path(r, "messageId"))))
        .on("listReplies", rendered(s, (caller, r) ->
            s.messages().listReplies(caller, path(r, "messageId"), r.query())))
        .on("postReply", sent(s, "reply", (caller, r) ->
            s.messages().reply(caller, path(r, "messageId"), r.bodyObject(), IdempotencyKey.of(r))))
        .on("toggleBookmark", ok(s, (caller, r) -> s.bookmarks().toggle(caller, path(r, "messageId"))))
        .on("listBookmarks", rendered(s, (caller, r) -> s.bookmarks().list(caller)))
        .on("addReaction", ok(s, (caller, r) ->
            s.reactions().add(caller, path(r, "channelId"), path(r, "messageId"), r.bodyObject())))
        .on("removeReaction", ok(s, (caller, r) ->
            s.reactions().remove(caller, path(r, "channelId"), path(r, "messageId"), r.bodyObject(), r.query())))
        .on("getReadBy", ok(s, (caller, r) -> s.receipts().readBy(caller, path(r, "messageId"))))
        .on("pinMessage", ok(s, (caller, r) -> s.pins().setPinned(caller, r.path(), true)))
        .on("unpinMessage", ok(s, (caller, r) -> s.pins().setPinned(caller, r.path(), false)))
        .on("listPinnedMessages", rendered(s, (caller, r) -> s.pins().list(caller, path(r, "channelId"))))
        .on("listChannelEvents", request -> s.events()
            .since(request.requirePrincipal(), path(request, "channelId"), request.query()).map(ServiceReply::ok))
        .on("listMyEvents", request -> s.events().mine(request.requirePrincipal(), request.query())
            .map(ServiceReply::ok))
        .on(InternalActions.APPEND_CHANNEL_EVENT, r -> s.events().append(r.bodyObject()).map(ServiceReply::ok))
        .on(InternalActions.APPEND_USER_EVENT, r -> s.events().appendForUsers(r.bodyObject()).map(ServiceReply::ok))
        .on("searchMessages", rendered(s, (caller, r) -> s.search().search(caller, r.query())))
        .on(InternalActions.CHANNEL_ACTIVITY, r -> s.activity().channelActivity(r.bodyObject())
            .map(ServiceReply::okUnshared))
        .on(InternalActions.READ_MARKED, r -> s.activity().readMarked(r.bodyObject()).map(ServiceReply::ok))
        .on(InternalActions.COUNT_MESSAGES, r -> s.activity().countMessages().map(ServiceReply::ok))
        .on(InternalActions.MESSAGE_STATS, r -> s.stats().stats().map(ServiceReply::ok))
        .on(InternalActions.FILE_VISIBILITY, r -> s.files().check(r.bodyObject()).map(ServiceReply::ok));
  }

  private static Object path(ServiceRequest request, String name) {
    return request.path().getValue(name);
  }

  /**
   * A handler for a signed-in caller, answering 200 with the message views in it personalised for the caller. Its
   * views may also be in a live event, so they are personalised on a copy (which, like a rendered answer, nothing else
   * holds).
   */
  private static java.util.function.Function<ServiceRequest, Future<ServiceReply>> ok(Services s,
      BiFunction<Principal, ServiceRequest, Future<JsonObject>> handler) {
    return rendered(s, (caller, request) -> handler.apply(caller, request).map(JsonObject::copy));
  }

  /**
   * As {@link #ok}, for answers rendered from the store for this request alone: nothing else holds their views (no
   * live event, no cache), so they are personalised in place instead of copied, and a gateway in this process
   * receives them without the event bus's copy ({@link ServiceReply#okUnshared}).
   */
  private static java.util.function.Function<ServiceRequest, Future<ServiceReply>> rendered(Services s,
      BiFunction<Principal, ServiceRequest, Future<JsonObject>> handler) {
    return request -> {
      Principal caller = request.requirePrincipal();
      return handler.apply(caller, request).compose(answer -> s.viewer().applyInPlace(answer, caller.id()))
          .map(ServiceReply::okUnshared);
    };
  }

  /**
   * A send for a signed-in caller, answering 201 with {@code {<field>: message}}; a replay of an earlier send with
   * the same idempotency key answers the same, marked with the {@value IdempotencyKey#REPLAYED_HEADER} header.
   */
  private static java.util.function.Function<ServiceRequest, Future<ServiceReply>> sent(Services s, String field,
      BiFunction<Principal, ServiceRequest, Future<MessageService.Sent>> handler) {
    return request -> {
      Principal caller = request.requirePrincipal();
      return handler.apply(caller, request).compose(sent -> s.viewer()
          .apply(new JsonObject().put(field, sent.message()), caller.id())
          .map(answer -> new ServiceReply(201, answer,
              sent.replayed() ? new JsonObject().put(IdempotencyKey.REPLAYED_HEADER, "true") : null)));
    };
  }
}
