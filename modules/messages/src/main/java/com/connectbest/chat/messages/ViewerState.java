package com.connectbest.chat.messages;

import com.connectbest.chat.common.FileLinks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a message view says about its viewer, added to an answer just before it leaves: {@code bookmarked} and
 * {@code bookmarked_by_users} (the viewer's own id when bookmarked, never anyone else's), and message files' URLs
 * signed for the viewer ({@link FileLinks}), so that a browser's {@code <img src>} loads them without a header. Every
 * view in an answer came from a message the viewer may read, which is the access check for minting the link; the
 * file service checks it again when the link is used. Live events carry the unsigned, unpersonalised view.
 */
final class ViewerState {

  /** Fields of an answer that hold one view, or a list of views. */
  private static final List<String> VIEW_FIELDS = List.of("message", "reply");
  private static final List<String> LIST_FIELDS = List.of("messages", "replies");

  private final BookmarkStore bookmarks;
  private final FileLinks links;

  ViewerState(BookmarkStore bookmarks, FileLinks links) {
    this.bookmarks = bookmarks;
    this.links = links;
  }

  /**
   * A copy of the answer with every message view in it personalised for the viewer: one bookmark query at most. A
   * copy, because the same views may be on their way to the channel as a live event.
   */
  Future<JsonObject> apply(JsonObject given, String viewerId) {
    return applyInPlace(given.copy(), viewerId);
  }

  /**
   * The same, on the answer itself: for answers whose views were rendered for this request alone (history pages,
   * threads, searches), where the copy was a tenth of a history page's CPU for nothing.
   */
  Future<JsonObject> applyInPlace(JsonObject answer, String viewerId) {
    List<JsonObject> views = new ArrayList<>();
    for (String field : VIEW_FIELDS) {
      if (answer.getValue(field) instanceof JsonObject view && isView(view)) {
        views.add(view);
      }
    }
    for (String field : LIST_FIELDS) {
      if (answer.getValue(field) instanceof JsonArray list) {
        list.forEach(item -> {
          if (item instanceof JsonObject view && isView(view)) {
            views.add(view);
          }
        });
      }
    }
    if (views.isEmpty()) {
      return Future.succeededFuture(answer);
    }
    List<String> ids = views.stream().map(view -> view.getString("id")).distinct().toList();
    Instant now = Clock.now();
    return bookmarks.bookmarkedAmong(viewerId, ids).map(marked -> {
      views.forEach(view -> personalise(view, viewerId, marked, now));
      return answer;
    });
  }

  private void personalise(JsonObject view, String viewerId, Set<String> marked, Instant now) {
    boolean bookmarked = marked.contains(view.getString("id"));
    view.put("bookmarked", bookmarked)
        .put("bookmarked_by_users", bookmarked ? new JsonArray().add(viewerId) : new JsonArray());
    if (view.getValue("attachments") instanceof JsonArray attachments) {
      attachments.forEach(item -> {
        if (item instanceof JsonObject attachment) {
          String key = storedKey(attachment);
          if (key != null) {
            attachment.put("url", links.signedUrl(key, viewerId, now));
          }
        }
      });
    }
  }

  /** The message file an attachment names (by key, else by its /api/files/ URL), or null for an outside link. */
  static String storedKey(JsonObject attachment) {
    String key = attachment.getValue("key") instanceof String given ? given
        : attachment.getValue("url") instanceof String url ? FileLinks.keyOf(url) : null;
    return key != null && key.startsWith("messages/") && FileVisibility.KEY.matcher(key).matches() ? key : null;
  }

  private static boolean isView(JsonObject view) {
    return view.getValue("id") instanceof String && view.containsKey("attachments");
  }
}
