package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Per-user bookmarks (stars) on messages the user can see. */
final class BookmarkService {

  static final int LIST_LIMIT = 100;
  /** Bookmarks read to fill one list, leaving room for those on deleted or no longer visible messages. */
  static final int SCAN_LIMIT = 1000;

  private final BookmarkStore bookmarks;
  private final MessageStore messages;
  private final VisibleMessages visible;
  private final MessageRenderer renderer;
  private final ServiceClient services;

  BookmarkService(BookmarkStore bookmarks, MessageStore messages, VisibleMessages visible, MessageRenderer renderer,
                  ServiceClient services) {
    this.bookmarks = bookmarks;
    this.messages = messages;
    this.visible = visible;
    this.renderer = renderer;
    this.services = services;
  }

  /** {@code toggleBookmark}: removes the caller's bookmark if there is one, else bookmarks the (live) message. */
  Future<JsonObject> toggle(Principal caller, Object messageIdParam) {
    return visible.findLive(messageIdParam, caller.id()).compose(doc -> {
      String messageId = MongoDocs.id(doc);
      return bookmarks.remove(caller.id(), messageId).compose(removed -> removed
          ? Future.succeededFuture(false)
          : bookmarks.add(caller.id(), messageId, Clock.now()).map(true));
    }).map(bookmarked -> new JsonObject().put("bookmarked", bookmarked));
  }

  /**
   * {@code listBookmarks}: the caller's most recent {@value #LIST_LIMIT} bookmarked messages still visible to them,
   * newest bookmark first; {@code has_more} says when there may be more (the contract states the bound).
   */
  Future<JsonObject> list(Principal caller) {
    Future<List<JsonObject>> marks = bookmarks.recent(caller.id(), SCAN_LIMIT + 1);
    Future<Set<String>> channels = services.call(Addresses.CHANNELS, InternalActions.MEMBER_CHANNELS,
            new JsonObject().put("user_id", caller.id()))
        .map(reply -> new HashSet<>(reply.getJsonArray("channel_ids", new JsonArray()).stream()
            .map(String::valueOf).toList()));
    return Future.all(marks, channels).compose(all -> {
      List<String> ids = marks.result().stream().map(mark -> mark.getString("message_id")).distinct().toList();
      return messages.findLiveByIds(ids).compose(found -> {
        Map<String, JsonObject> byId = found.stream()
            .filter(doc -> channels.result().contains(doc.getString("channel_id")))
            .collect(Collectors.toMap(MongoDocs::id, Function.identity()));
        List<JsonObject> ordered = ids.stream().limit(SCAN_LIMIT).map(byId::get).filter(Objects::nonNull)
            .limit(LIST_LIMIT + 1L).toList();
        // More may exist when more than a list's worth is visible, or when bookmarks were left unread.
        boolean more = ordered.size() > LIST_LIMIT || marks.result().size() > SCAN_LIMIT;
        return renderer.render(ordered.subList(0, Math.min(LIST_LIMIT, ordered.size())))
            .map(views -> new JsonObject().put("messages", new JsonArray(views)).put("has_more", more));
      });
    });
  }
}
