package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BookmarksPinsReadsTest extends MessagesTestBase {

  private boolean toggle(Principal caller, String messageId) {
    return ok("toggleBookmark", caller, messagePath(messageId), null, null).getBoolean("bookmarked");
  }

  private List<JsonObject> bookmarks(Principal caller) {
    return objects(ok("listBookmarks", caller, null, null, null).getJsonArray("messages"));
  }

  @Test
  @DisplayName("a bookmark toggles on and off per user, and the list shows the newest bookmark first")
  void toggleAndList() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String first = send(ann, general, "first").getString("id");
    String second = send(bob, general, "second").getString("id");

    assertTrue(toggle(ann, second));
    assertTrue(toggle(ann, first));
    assertEquals(List.of("first", "second"), contents(bookmarks(ann)));
    assertEquals(List.of(), bookmarks(bob));
    assertFalse(toggle(ann, second));
    assertEquals(List.of("first"), contents(bookmarks(ann)));
    assertTrue(toggle(ann, second));
    assertEquals(List.of("second", "first"), contents(bookmarks(ann)));
    assertTrue(toggle(bob, first));
    assertEquals(List.of("first"), contents(bookmarks(bob)));
  }

  @Test
  @DisplayName("every message view tells its viewer, and only its viewer, whether they bookmarked it; is_edited follows")
  void viewerBookmarkState() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String id = send(ann, general, "first").getString("id");
    toggle(bob, id);

    JsonObject forBob = list(bob, general, null).get(0);
    assertTrue(forBob.getBoolean("bookmarked"));
    assertEquals(new JsonArray().add(bob.id()), forBob.getJsonArray("bookmarked_by_users"));
    JsonObject forAnn = list(ann, general, null).get(0);
    assertFalse(forAnn.getBoolean("bookmarked"));
    assertEquals(new JsonArray(), forAnn.getJsonArray("bookmarked_by_users"), "never another user's id");
    assertTrue(ok("getMessage", bob, messagePath(id), null, null).getJsonObject("message").getBoolean("bookmarked"));
    assertTrue(bookmarks(bob).get(0).getBoolean("bookmarked"));

    assertFalse(forAnn.getBoolean("is_edited"));
    JsonObject edited = ok("editMessage", ann, messagePath(id), null, new JsonObject().put("content", "changed"))
        .getJsonObject("message");
    assertTrue(edited.getBoolean("is_edited"));
    assertTrue(list(bob, general, null).get(0).getBoolean("is_edited"));
  }

  @Test
  @DisplayName("bookmarks list only messages still visible: not deleted, and in channels I still belong to")
  void bookmarksVisibility() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String secret = channel(ann, bob);
    String kept = send(ann, general, "kept").getString("id");
    String deleted = send(ann, general, "deleted").getString("id");
    String left = send(ann, secret, "left behind").getString("id");
    toggle(bob, kept);
    toggle(bob, deleted);
    toggle(bob, left);
    delete(ann, deleted);
    channels.remove(secret, bob.id(), true);

    assertEquals(List.of("kept"), contents(bookmarks(bob)));
    assertFailure(failure("toggleBookmark", bob, messagePath(left), null, null), 404, "Message not found");
    assertFailure(failure("toggleBookmark", bob, messagePath(deleted), null, null), 404, "Message not found");
  }

  @Test
  @DisplayName("members pin and unpin with message_pinned / message_unpinned events; pins list newest pin first")
  void pins() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String older = send(ann, general, "older").getString("id");
    String newer = send(ann, general, "newer").getString("id");
    EventProbe probe = events(general);

    JsonObject pinned = ok("pinMessage", bob, messagePath(newer), null, null).getJsonObject("message");
    assertTrue(pinned.getBoolean("is_pinned"));
    assertEquals(pinned, probe.next(Events.MESSAGE_PINNED).getJsonObject("message"));
    ok("pinMessage", ann, channelPath(general).put("messageId", older), null, null);
    probe.next(Events.MESSAGE_PINNED);

    List<JsonObject> pins = objects(ok("listPinnedMessages", bob, channelPath(general), null, null)
        .getJsonArray("messages"));
    assertEquals(List.of("older", "newer"), contents(pins));

    JsonObject unpinned = ok("unpinMessage", ann, messagePath(older), null, null).getJsonObject("message");
    assertFalse(unpinned.getBoolean("is_pinned"));
    JsonObject event = probe.next(Events.MESSAGE_UNPINNED);
    assertEquals(older, event.getString("messageId"));
    assertEquals(List.of("newer"), contents(objects(ok("listPinnedMessages", ann, channelPath(general), null, null)
        .getJsonArray("messages"))));
    assertTrue(list(ann, general, null).get(0).getBoolean("is_pinned"));
  }

  @Test
  @DisplayName("pins need membership: outsiders get 404 by message id and 403 on the channel's pin list")
  void pinAccess() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    String general = channel(ann);
    String id = send(ann, general, "pin me").getString("id");
    String gone = send(ann, general, "gone").getString("id");
    delete(ann, gone);
    assertFailure(failure("pinMessage", eve, messagePath(id), null, null), 404, "Message not found");
    assertFailure(failure("unpinMessage", eve, messagePath(id), null, null), 404, "Message not found");
    assertFailure(failure("listPinnedMessages", eve, channelPath(general), null, null), 403,
        "Not a member of this channel");
    assertFailure(failure("pinMessage", ann, messagePath(gone), null, null), 404, "Message not found");
    assertFalse(get(ann, id).getBoolean("is_pinned"));
  }

  @Test
  @DisplayName("read-by lists the other members who read up to the message, with their read time, and counts them")
  void readBy() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal cid = user("Cid");
    Principal dan = user("Dan");
    Principal eve = user("Eve");
    String general = channel(ann, bob, cid, dan);
    channel(eve);
    JsonObject message = send(ann, general, "did you read this?");
    Instant created = Instant.parse(message.getString("created_at"));
    channels.read(general, ann.id(), created.plusSeconds(5));
    channels.read(general, bob.id(), created);
    channels.read(general, cid.id(), created.minusMillis(1));
    channels.read(general, dan.id(), created.plusSeconds(10));

    JsonObject readBy = ok("getReadBy", cid, messagePath(message.getString("id")), null, null);
    assertEquals(2, readBy.getInteger("read_count"));
    List<JsonObject> users = objects(readBy.getJsonArray("users"));
    assertEquals(java.util.Set.of(bob.id(), dan.id()),
        users.stream().map(user -> user.getString("id")).collect(java.util.stream.Collectors.toSet()));
    assertEquals(2, users.size());
    JsonObject bobRead = users.stream().filter(user -> user.getString("id").equals(bob.id())).findFirst().orElseThrow();
    assertEquals("Bob", bobRead.getString("name"));
    assertEquals("bob@example.com", bobRead.getString("email"));
    assertEquals(created.toString(), bobRead.getString("last_read_at"));
    assertEquals(2, get(ann, message.getString("id")).getInteger("read_count"));

    assertFailure(failure("getReadBy", eve, messagePath(message.getString("id")), null, null), 404,
        "Message not found");
    channels.read(general, cid.id(), created.plusSeconds(1));
    assertEquals(3, ok("getReadBy", ann, messagePath(message.getString("id")), null, null).getInteger("read_count"));
  }
}
