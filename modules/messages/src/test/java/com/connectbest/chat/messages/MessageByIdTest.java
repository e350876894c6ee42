package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessageByIdTest extends MessagesTestBase {

  @Test
  @DisplayName("getMessage shows a message of my channel; another channel's message is 404 exactly like an unknown id")
  void getVisibility() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    String secret = channel(ann);
    String mine = channel(eve);
    JsonObject message = send(ann, secret, "private plans");
    assertEquals("private plans", get(ann, message.getString("id")).getString("content"));

    assertFailure(failure("getMessage", eve, messagePath(message.getString("id")), null, null), 404, "Message not found");
    assertFailure(failure("getMessage", eve, messagePath(new ObjectId().toHexString()), null, null), 404,
        "Message not found");
    assertFailure(failure("getMessage", eve, messagePath("not-an-id"), null, null), 400, null);
    assertFailure(failure("getReadBy", eve, messagePath(message.getString("id")), null, null), 404, "Message not found");
    assertFailure(failure("listReplies", eve, messagePath(message.getString("id")), null, null), 404,
        "Message not found");
    assertFailure(failure("toggleBookmark", eve, messagePath(message.getString("id")), null, null), 404,
        "Message not found");
    assertFailure(failure("pinMessage", eve, messagePath(message.getString("id")), null, null), 404,
        "Message not found");
    JsonObject viaMyChannel = channelPath(mine).put("messageId", message.getString("id"));
    assertFailure(failure("addReaction", eve, viaMyChannel, null, new JsonObject().put("emoji", "👀")), 404,
        "Message not found");
    assertFailure(failure("pinMessage", eve, viaMyChannel, null, null), 404, "Message not found");
  }

  @Test
  @DisplayName("site admins get no read bypass: a channel they are not in hides its messages from them")
  void adminNoReadBypass() {
    Principal ann = user("Ann");
    Principal root = admin("Root");
    String secret = channel(ann);
    JsonObject message = send(ann, secret, "not for admins");
    assertFailure(failure("getMessage", root, messagePath(message.getString("id")), null, null), 404,
        "Message not found");
    assertFailure(failure("listChannelMessages", root, channelPath(secret), null, null), 403,
        "Not a member of this channel");
    assertFailure(failure("editMessage", root, messagePath(message.getString("id")), null, text("mine now")), 404,
        "Message not found or unauthorized");
  }

  @Test
  @DisplayName("only the author edits: content rules apply, edited_at is set and message_updated is published")
  void edit() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal root = admin("Root");
    String general = channel(ann, bob, root);
    JsonObject message = send(ann, general, "first draft");
    String id = message.getString("id");

    assertFailure(failure("editMessage", bob, messagePath(id), null, text("hijacked")), 404,
        "Message not found or unauthorized");
    assertFailure(failure("editMessage", root, messagePath(id), null, text("hijacked")), 404,
        "Message not found or unauthorized");
    assertFailure(failure("editMessage", ann, messagePath(new ObjectId().toHexString()), null, text("x")), 404,
        "Message not found or unauthorized");
    assertFailure(failure("editMessage", ann, messagePath(id), null, text("  ")), 400, "Message content is required");
    assertFailure(failure("editMessage", ann, messagePath(id), null, text("y".repeat(2001))), 400,
        "Message too long (max 2000 characters)");

    EventProbe probe = events(general);
    JsonObject edited = ok("editMessage", ann, messagePath(id), null, text("  final  ")).getJsonObject("message");
    assertEquals("final", edited.getString("content"));
    assertNotNull(edited.getString("edited_at"));
    assertEquals(edited.getString("edited_at"), edited.getString("updated_at"));
    assertFalse(Instant.parse(edited.getString("edited_at")).isBefore(Instant.parse(message.getString("created_at"))));
    assertEquals(message.getString("created_at"), edited.getString("created_at"));
    JsonObject event = probe.next(Events.MESSAGE_UPDATED);
    assertEquals(edited, event.getJsonObject("message"));
    assertEquals("final", get(bob, id).getString("content"));
  }

  @Test
  @DisplayName("the author deletes softly: message_deleted is published, get shows a tombstone without content")
  void authorDeletes() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    JsonObject file = new JsonObject().put("name", "a.png").put("size", 3).put("type", "image/png")
        .put("url", "/api/files/messages/a.png");
    JsonObject message = ((JsonObject) request("sendMessage", ann, channelPath(general), null,
        text("regret").put("attachments", new JsonArray().add(file))).await().body()).getJsonObject("message");
    assertEquals(1, message.getJsonArray("attachments").size());
    String id = message.getString("id");
    ok("addReaction", bob, channelPath(general).put("messageId", id), null, new JsonObject().put("emoji", "😬"));

    EventProbe probe = events(general);
    delete(ann, id);
    JsonObject event = probe.next(Events.MESSAGE_DELETED);
    assertEquals(id, event.getString("messageId"));
    assertEquals(general, event.getString("channelId"));
    assertFalse(event.containsKey("content") || event.containsKey("message"));

    JsonObject tombstone = get(bob, id);
    assertTrue(tombstone.getBoolean("is_deleted"));
    assertNull(tombstone.getValue("content"));
    assertEquals(new JsonArray(), tombstone.getJsonArray("attachments"));
    assertEquals(new JsonArray(), tombstone.getJsonArray("reactions"));
    assertEquals(ann.id(), tombstone.getString("user_id"));

    assertFailure(failure("deleteMessage", ann, messagePath(id), null, null), 404, "Message not found or unauthorized");
    assertFailure(failure("editMessage", ann, messagePath(id), null, text("undo")), 404,
        "Message not found or unauthorized");
  }

  @Test
  @DisplayName("a site admin may delete any message, even outside their channels; another member may not")
  void adminAndOthersDelete() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal root = admin("Root");
    String general = channel(ann, bob);
    String id = send(ann, general, "spam").getString("id");

    assertFailure(failure("deleteMessage", bob, messagePath(id), null, null), 404, "Message not found or unauthorized");
    assertFailure(failure("deleteMessage", bob, messagePath(new ObjectId().toHexString()), null, null), 404,
        "Message not found or unauthorized");
    assertEquals("spam", get(ann, id).getString("content"));

    EventProbe probe = events(general);
    delete(root, id);
    assertEquals(id, probe.next(Events.MESSAGE_DELETED).getString("messageId"));
    assertTrue(get(ann, id).getBoolean("is_deleted"));
  }

  @Test
  @DisplayName("an author removed from the channel can no longer see, edit or delete their messages")
  void removedAuthor() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String id = send(bob, general, "before leaving").getString("id");
    get(bob, id);
    channels.remove(general, bob.id(), true);
    assertFailure(failure("getMessage", bob, messagePath(id), null, null), 404, "Message not found");
    assertFailure(failure("editMessage", bob, messagePath(id), null, text("x")), 404,
        "Message not found or unauthorized");
    assertFailure(failure("deleteMessage", bob, messagePath(id), null, null), 404, "Message not found or unauthorized");
    assertEquals("before leaving", get(ann, id).getString("content"));
  }

  @Test
  @DisplayName("deleted content is unreachable from list, get, replies, search, bookmarks and pins")
  void deletedUnreachable() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject root = send(ann, general, "needle root");
    JsonObject reply = reply(ann, root.getString("id"), "needle reply");
    ok("toggleBookmark", ann, messagePath(root.getString("id")), null, null);
    ok("toggleBookmark", ann, messagePath(reply.getString("id")), null, null);
    ok("pinMessage", ann, messagePath(root.getString("id")), null, null);
    assertEquals(2, ok("searchMessages", ann, null, new JsonObject().put("q", "needle"), null).getInteger("total"));

    delete(ann, reply.getString("id"));
    delete(ann, root.getString("id"));

    String everything = List.of(
        ok("listChannelMessages", ann, channelPath(general), null, null),
        ok("getMessage", ann, messagePath(root.getString("id")), null, null),
        ok("getMessage", ann, messagePath(reply.getString("id")), null, null),
        ok("listReplies", ann, messagePath(root.getString("id")), null, null),
        ok("searchMessages", ann, null, new JsonObject().put("q", "needle"), null),
        ok("listBookmarks", ann, null, null, null),
        ok("listPinnedMessages", ann, channelPath(general), null, null)).toString();
    assertFalse(everything.contains("needle"), everything);
    assertEquals(0, ok("searchMessages", ann, null, new JsonObject().put("q", "needle"), null).getInteger("total"));
    assertEquals(0, ok("listReplies", ann, messagePath(root.getString("id")), null, null)
        .getJsonArray("replies").size());
    assertEquals(0, ok("listBookmarks", ann, null, null, null).getJsonArray("messages").size());
    assertEquals(0, ok("listPinnedMessages", ann, channelPath(general), null, null).getJsonArray("messages").size());
    assertFalse(get(ann, root.getString("id")).getBoolean("is_pinned"));
  }

  @Test
  @DisplayName("threads: replies listed oldest first with a maintained reply_count; postReply answers 201 and publishes")
  void threads() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    JsonObject root = send(ann, general, "question");
    String rootId = root.getString("id");
    EventProbe probe = events(general);

    JsonObject first = reply(bob, rootId, "answer 1");
    assertEquals(rootId, first.getString("parent_message_id"));
    assertEquals(general, first.getString("channel_id"));
    JsonObject thread = probe.next(Events.THREAD_REPLY);
    assertEquals(first, thread.getJsonObject("message"));
    assertEquals(rootId, thread.getString("parentMessageId"));
    assertEquals(1, thread.getInteger("reply_count"));
    JsonObject second = reply(ann, rootId, "answer 2");

    List<JsonObject> replies = objects(ok("listReplies", bob, messagePath(rootId), null, null).getJsonArray("replies"));
    assertEquals(List.of(first.getString("id"), second.getString("id")), idsOf(replies));
    assertEquals("Bob", replies.get(0).getJsonObject("user").getString("name"));
    assertEquals(2, get(ann, rootId).getInteger("reply_count"));

    probe.next(Events.THREAD_REPLY);
    delete(bob, first.getString("id"));
    JsonObject deleted = probe.next(Events.MESSAGE_DELETED);
    assertEquals(rootId, deleted.getString("parentMessageId"));
    assertEquals(1, deleted.getInteger("reply_count"));
    assertEquals(1, get(ann, rootId).getInteger("reply_count"));
    assertEquals(List.of("answer 2"), contents(objects(ok("listReplies", bob, messagePath(rootId), null, null)
        .getJsonArray("replies"))));
  }

  @Test
  @DisplayName("postReply: unknown, invisible or deleted parent 404, reply-to-reply 400, content rules apply")
  void replyRules() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    String general = channel(ann);
    channel(eve);
    JsonObject root = send(ann, general, "root");
    String rootId = root.getString("id");

    assertFailure(failure("postReply", ann, messagePath(new ObjectId().toHexString()), null, text("x")), 404,
        "Message not found");
    assertFailure(failure("postReply", eve, messagePath(rootId), null, text("sneaky")), 404, "Message not found");
    assertFailure(failure("postReply", ann, messagePath(rootId), null, text(" ")), 400, "Message content is required");
    JsonObject reply = reply(ann, rootId, "ok");
    assertFailure(failure("postReply", ann, messagePath(reply.getString("id")), null, text("deeper")), 400,
        "Cannot reply to a thread reply");
    JsonObject gone = send(ann, general, "gone");
    delete(ann, gone.getString("id"));
    assertFailure(failure("postReply", ann, messagePath(gone.getString("id")), null, text("x")), 404,
        "Message not found");
    assertFailure(failure("listReplies", ann, messagePath(new ObjectId().toHexString()), null, null), 404,
        "Message not found");
    assertEquals(1, get(ann, rootId).getInteger("reply_count"));
  }
}
