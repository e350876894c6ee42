package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one JSON shape of a message, in every response and event. A deleted message keeps its place (id, author,
 * times) but never its content, attachments or reactions.
 */
final class MessageView {

  private MessageView() {
  }

  /**
   * @param doc       the stored message
   * @param author    the author as {@code lookupUsers} returns it, or null if the user is gone
   * @param reactions {@code [{emoji, count, users}]}
   * @param readCount members other than the author who have read up to the message
   */
  static JsonObject of(JsonObject doc, JsonObject author, JsonArray reactions, int readCount) {
    boolean deleted = isDeleted(doc);
    JsonObject view = new JsonObject()
        .put("id", MongoDocs.id(doc))
        .put("channel_id", doc.getString("channel_id"))
        .put("seq", doc.getValue("seq"))
        .put("user_id", MongoDocs.hex(doc.getValue("user_id")))
        .put("user", author == null ? null : user(author))
        .put("content", deleted ? null : doc.getString("content"))
        .put("parent_message_id", MongoDocs.hex(doc.getValue("parent_message_id")))
        .put("attachments", deleted ? new JsonArray() : attachments(doc))
        .put("reactions", deleted || reactions == null ? new JsonArray() : reactions)
        .put("reply_count", replyCount(doc))
        .put("read_count", readCount)
        .put("is_pinned", !deleted && doc.getBoolean("is_pinned", false))
        .put("created_at", MongoDocs.iso(doc.getValue("created_at")))
        .put("updated_at", MongoDocs.iso(doc.getValue("updated_at")))
        .put("edited_at", MongoDocs.iso(doc.getValue("edited_at")))
        .put("is_edited", doc.getValue("edited_at") != null)
        .put("is_deleted", deleted)
        .put("is_bot", doc.getValue("bot") instanceof JsonObject)
        // The viewer's own state; ViewerState fills it in for answers (events have no viewer).
        .put("bookmarked", false)
        .put("bookmarked_by_users", new JsonArray());
    if (doc.getValue("bot") instanceof JsonObject bot) {
      view.put("bot_name", bot.getString("name")).put("bot_icon_url", bot.getString("icon_url"));
    }
    return view;
  }

  /** The public face of an author: {id, name, email, avatar}. */
  static JsonObject user(JsonObject user) {
    return new JsonObject()
        .put("id", user.getString("id"))
        .put("name", user.getString("name"))
        .put("email", user.getString("email"))
        .put("avatar", user.getString("avatar"));
  }

  static boolean isDeleted(JsonObject doc) {
    return doc.getBoolean("is_deleted", false);
  }

  private static JsonArray attachments(JsonObject doc) {
    Object value = doc.getValue("attachments");
    return value instanceof JsonArray list ? list.copy() : new JsonArray();
  }

  /** A thread root's stored reply count, never below 0 (a reply's +1 and a delete's -1 may
   * arrive out of order). */
  static int replyCount(JsonObject doc) {
    return Math.max(0, doc.getInteger("reply_count", 0));
  }
}
