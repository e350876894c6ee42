package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelMessagesTest extends MessagesTestBase {

  @Test
  @DisplayName("a page holds the newest messages newest-first, has_more tells if older exist, before pages strictly older")
  void paging() {
    Principal ann = user("Ann");
    String general = channel(ann);
    List<String> sent = java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(i -> send(ann, general, "m" + i))
        .map(message -> message.getString("id")).toList();

    JsonObject newest = ok("listChannelMessages", ann, channelPath(general), new JsonObject().put("limit", 2), null);
    assertEquals(List.of("m5", "m4"), contents(objects(newest.getJsonArray("messages"))));
    assertTrue(newest.getBoolean("has_more"));

    JsonObject older = ok("listChannelMessages", ann, channelPath(general),
        new JsonObject().put("limit", 2).put("before", sent.get(3)), null);
    assertEquals(List.of("m3", "m2"), contents(objects(older.getJsonArray("messages"))));
    assertTrue(older.getBoolean("has_more"));

    JsonObject oldest = ok("listChannelMessages", ann, channelPath(general),
        new JsonObject().put("limit", "2").put("before", sent.get(1)), null);
    assertEquals(List.of("m1"), contents(objects(oldest.getJsonArray("messages"))));
    assertFalse(oldest.getBoolean("has_more"));

    JsonObject all = ok("listChannelMessages", ann, channelPath(general), null, null);
    assertEquals(List.of("m5", "m4", "m3", "m2", "m1"), contents(objects(all.getJsonArray("messages"))));
    assertFalse(all.getBoolean("has_more"));
  }

  @Test
  @DisplayName("the default page is 50 and a limit outside 1..100 or a malformed before is a 400, never clamped")
  void pageLimits() {
    Principal ann = user("Ann");
    String general = channel(ann);
    for (int i = 0; i < 51; i++) {
      send(ann, general, "n" + i);
    }
    JsonObject page = ok("listChannelMessages", ann, channelPath(general), null, null);
    assertEquals(50, page.getJsonArray("messages").size());
    assertTrue(page.getBoolean("has_more"));
    assertEquals("n50", page.getJsonArray("messages").getJsonObject(0).getString("content"));
    assertEquals(51, list(ann, general, new JsonObject().put("limit", 100)).size());

    for (Object limit : List.of(101, 0, -1, "abc", 2.5)) {
      assertFailure(failure("listChannelMessages", ann, channelPath(general), new JsonObject().put("limit", limit), null),
          400, null);
    }
    assertFailure(failure("listChannelMessages", ann, channelPath(general), new JsonObject().put("before", "xyz"), null),
        400, "Invalid before");
  }

  @Test
  @DisplayName("thread replies and deleted messages are not part of channel pages")
  void pageExcludesRepliesAndDeleted() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject root = send(ann, general, "root");
    reply(ann, root.getString("id"), "in thread");
    JsonObject gone = send(ann, general, "to delete");
    send(ann, general, "last");
    delete(ann, gone.getString("id"));

    List<JsonObject> page = list(ann, general, null);
    assertEquals(List.of("last", "root"), contents(page));
    assertEquals(1, page.get(1).getInteger("reply_count"));
  }

  @Test
  @DisplayName("content is trimmed and must be 1 to 2000 characters, counted as Unicode characters")
  void contentRules() {
    Principal ann = user("Ann");
    String general = channel(ann);
    assertEquals("hello", send(ann, general, "  hello \n").getString("content"));
    assertFailure(failure("sendMessage", ann, channelPath(general), null, text("   ")), 400,
        "Message content is required");
    assertFailure(failure("sendMessage", ann, channelPath(general), null, new JsonObject()), 400,
        "Message content is required");
    assertFailure(failure("sendMessage", ann, channelPath(general), null, new JsonObject().put("content", 42)), 400,
        "Message content is required");
    assertFailure(failure("sendMessage", ann, channelPath(general), null, text("x".repeat(2001))), 400,
        "Message too long (max 2000 characters)");
    assertEquals(2000, send(ann, general, "x".repeat(2000)).getString("content").length());
    String emojis = "😀".repeat(2000);
    assertEquals(emojis, send(ann, general, emojis).getString("content"));
    assertEquals(3, list(ann, general, null).size());
  }

  @Test
  @DisplayName("attachments are validated (at most 10; name and url required; size, type, key optional) and whitelisted")
  void attachmentRules() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject file = new JsonObject().put("name", "doc.pdf").put("size", 1024).put("type", "application/pdf")
        .put("url", "https://files.example.com/doc.pdf").put("key", "messages/doc.pdf").put("evil", "<script>");
    JsonObject local = new JsonObject().put("name", "a.png").put("size", 0).put("type", "image/png")
        .put("url", "/api/files/messages/a.png");
    JsonObject sent = ok201("sendMessage", ann, channelPath(general),
        text("files").put("attachments", new JsonArray().add(file).add(local))).getJsonObject("message");
    JsonArray attachments = sent.getJsonArray("attachments");
    assertEquals(2, attachments.size());
    assertEquals(java.util.Set.of("name", "size", "type", "url", "key"), attachments.getJsonObject(0).fieldNames());
    assertNull(attachments.getJsonObject(0).getValue("evil"));
    assertEquals("messages/doc.pdf", attachments.getJsonObject(0).getString("key"));
    assertEquals(attachments, get(ann, sent.getString("id")).getJsonArray("attachments"));

    JsonObject bare = ok201("sendMessage", ann, channelPath(general), text("bare").put("attachments",
        new JsonArray().add(new JsonObject().put("name", "b.bin").put("url", "http://x.example/b").putNull("type"))))
        .getJsonObject("message");
    assertEquals(new JsonObject().put("name", "b.bin").put("url", "http://x.example/b"),
        bare.getJsonArray("attachments").getJsonObject(0));

    JsonArray eleven = new JsonArray();
    for (int i = 0; i < 11; i++) {
      eleven.add(local.copy());
    }
    List<JsonObject> bad = List.of(
        file.copy().put("url", "javascript:alert(1)"),
        file.copy().put("url", "ftp://example.com/x"),
        file.copy().put("url", "/etc/passwd"),
        file.copy().put("url", "https://example.com/" + "a".repeat(2048)),
        file.copy().put("size", -1),
        file.copy().put("size", 1.5),
        file.copy().put("size", "12"),
        file.copy().put("name", ""),
        file.copy().put("name", "n".repeat(256)),
        file.copy().put("type", "t".repeat(256)),
        file.copy().put("key", 7));
    for (JsonObject item : bad) {
      assertFailure(failure("sendMessage", ann, channelPath(general), null,
          text("x").put("attachments", new JsonArray().add(item))), 400, null);
    }
    assertFailure(failure("sendMessage", ann, channelPath(general), null, text("x").put("attachments", eleven)), 400,
        "Too many attachments (max 10)");
    assertFailure(failure("sendMessage", ann, channelPath(general), null, text("x").put("attachments", "a.pdf")), 400,
        null);
    assertFailure(failure("sendMessage", ann, channelPath(general), null,
        text("x").put("attachments", new JsonArray().add("a.pdf"))), 400, null);
    assertEquals(2, list(ann, general, null).size());
  }

  @Test
  @DisplayName("a sent message answers 201 with the full message view and is published as new_message")
  void sendPublishes() {
    Principal ann = user("Ann");
    String general = channel(ann);
    EventProbe probe = events(general);
    JsonObject message = send(ann, general, "Hello everyone!");

    assertTrue(ObjectId.isValid(message.getString("id")));
    assertEquals(general, message.getString("channel_id"));
    assertEquals(ann.id(), message.getString("user_id"));
    assertEquals(new JsonObject().put("id", ann.id()).put("name", "Ann").put("email", "ann@example.com")
        .put("avatar", "https://example.com/ann.png"), message.getJsonObject("user"));
    assertEquals("Hello everyone!", message.getString("content"));
    assertNull(message.getValue("parent_message_id"));
    assertEquals(new JsonArray(), message.getJsonArray("attachments"));
    assertEquals(new JsonArray(), message.getJsonArray("reactions"));
    assertEquals(0, message.getInteger("reply_count"));
    assertEquals(0, message.getInteger("read_count"));
    assertFalse(message.getBoolean("is_pinned"));
    assertFalse(message.getBoolean("is_deleted"));
    assertNotNull(Instant.parse(message.getString("created_at")));
    assertEquals(message.getString("created_at"), message.getString("updated_at"));
    assertNull(message.getValue("edited_at"));

    JsonObject event = probe.next(Events.NEW_MESSAGE);
    assertEquals(general, event.getString("channelId"));
    assertEquals(message, event.getJsonObject("message"));
    assertEquals(message.getString("id"), event.getString("messageId"));
    assertNotNull(event.getString("at"));
    assertEquals(message, get(ann, message.getString("id")));
  }

  @Test
  @DisplayName("a reply sent with parent_message_id needs a live top-level parent in the same channel (else 404)")
  void parentRules() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String random = channel(ann);
    JsonObject elsewhere = send(ann, random, "other channel");
    JsonObject gone = send(ann, general, "deleted");
    delete(ann, gone.getString("id"));
    JsonObject root = send(ann, general, "root");

    for (String parent : List.of(elsewhere.getString("id"), gone.getString("id"), new ObjectId().toHexString())) {
      assertFailure(failure("sendMessage", ann, channelPath(general), null, text("re").put("parent_message_id", parent)),
          404, "Parent message not found");
    }
    assertFailure(failure("sendMessage", ann, channelPath(general), null, text("re").put("parent_message_id", "nope")),
        400, "Invalid parent_message_id");

    EventProbe probe = events(general);
    JsonObject reply = ok201("sendMessage", ann, channelPath(general),
        text("re").put("parent_message_id", root.getString("id"))).getJsonObject("message");
    assertEquals(root.getString("id"), reply.getString("parent_message_id"));
    JsonObject thread = probe.next(Events.THREAD_REPLY);
    assertEquals(root.getString("id"), thread.getString("parentMessageId"));
    assertEquals(reply, thread.getJsonObject("message"));
    assertEquals(1, thread.getInteger("reply_count"));
    probe.none();

    assertFailure(failure("sendMessage", ann, channelPath(general), null,
        text("nested").put("parent_message_id", reply.getString("id"))), 400, "Cannot reply to a thread reply");
    assertEquals(1, get(ann, root.getString("id")).getInteger("reply_count"));
  }

  @Test
  @DisplayName("a non-member gets 403 on every channel route, whatever the channel type")
  void nonMemberForbidden() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    String general = channel(ann);
    String secret = new ObjectId().toHexString();
    channels.create(secret, "private", ann.id());
    String dm = "dm_" + ann.id() + "_" + new ObjectId().toHexString();
    channels.create(dm, "dm", ann.id());
    for (String channelId : List.of(general, secret, dm)) {
      String messageId = send(ann, channelId, "members only").getString("id");
      JsonObject path = channelPath(channelId);
      JsonObject messagePath = path.copy().put("messageId", messageId);
      JsonObject emoji = new JsonObject().put("emoji", "👍");
      assertFailure(failure("listChannelMessages", eve, path, null, null), 403, "Not a member of this channel");
      assertFailure(failure("sendMessage", eve, path, null, text("hi")), 403, "Not a member of this channel");
      assertFailure(failure("sendMessage", eve, path, null, text("")), 403, "Not a member of this channel");
      assertFailure(failure("addReaction", eve, messagePath, null, emoji), 403, "Not a member of this channel");
      assertFailure(failure("removeReaction", eve, messagePath, null, emoji), 403, "Not a member of this channel");
      assertFailure(failure("listPinnedMessages", eve, path, null, null), 403, "Not a member of this channel");
      assertFailure(failure("pinMessage", eve, messagePath, null, null), 403, "Not a member of this channel");
      assertFailure(failure("searchMessages", eve, null, new JsonObject().put("q", "members").put("channel_id", channelId),
          null), 403, "Not a member of this channel");
      assertEquals(1, list(ann, channelId, null).size());
    }
  }

  @Test
  @DisplayName("an unknown channel is 404 Channel not found; a malformed channel id is 400")
  void unknownAndMalformedChannel() {
    Principal ann = user("Ann");
    String unknown = new ObjectId().toHexString();
    assertFailure(failure("listChannelMessages", ann, channelPath(unknown), null, null), 404, "Channel not found");
    assertFailure(failure("sendMessage", ann, channelPath(unknown), null, text("hi")), 404, "Channel not found");
    assertFailure(failure("listPinnedMessages", ann, channelPath(unknown), null, null), 404, "Channel not found");
    assertFailure(failure("listChannelMessages", ann, channelPath("dm_" + ann.id().toUpperCase() + "_" + unknown), null,
        null), 404, "Channel not found");
    for (String bad : List.of("general", "dm_1_2", "507f1f77bcf86cd79943901", "../x")) {
      assertFailure(failure("listChannelMessages", ann, channelPath(bad), null, null), 400, "Invalid channelId");
    }
    assertFailure(failure("listChannelMessages", ann, new JsonObject(), null, null), 400, "Invalid channelId");
  }

  @Test
  @DisplayName("DM channel ids dm_<id>_<id> are accepted, and upper-case ObjectIds are canonicalised")
  void dmAndCanonicalIds() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String dm = "dm_" + ann.id() + "_" + bob.id();
    channels.create(dm, "dm", ann.id(), bob.id());
    JsonObject message = send(ann, dm, "psst");
    assertEquals(dm, message.getString("channel_id"));
    assertEquals(List.of("psst"), contents(list(bob, dm, null)));

    String general = channel(ann);
    send(ann, general.toUpperCase(), "shouting id");
    assertEquals(general, list(ann, general, null).get(0).getString("channel_id"));
  }

  @Test
  @DisplayName("the authors of a page are looked up in one call; an author who is gone comes back as user null")
  void authorsInOneLookup() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal cid = user("Cid");
    String general = channel(ann, bob, cid);
    send(ann, general, "a1");
    send(bob, general, "b1");
    send(cid, general, "c1");
    send(ann, general, "a2");
    auth.delete(cid.id());
    for (Principal changed : List.of(ann, bob, cid)) {
      vertx.eventBus().publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", changed.id()));
    }
    auth.lookups.clear();

    List<JsonObject> page = list(ann, general, null);
    assertEquals(1, auth.lookups.size());
    assertEquals(3, auth.lookups.get(0).size());
    assertEquals("Ann", page.get(0).getJsonObject("user").getString("name"));
    assertEquals("Bob", page.get(2).getJsonObject("user").getString("name"));
    assertNull(page.get(1).getValue("user"));
    assertEquals(cid.id(), page.get(1).getString("user_id"));
    assertFalse(page.get(0).getJsonObject("user").containsKey("status_message"));
  }

  @Test
  @DisplayName("authors are remembered between requests until a user change event names them")
  void authorCache() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(ann, general, "first");
    auth.lookups.clear();
    send(ann, general, "second");
    assertEquals("Ann", list(bob, general, null).get(1).getJsonObject("user").getString("name"));
    assertEquals(0, auth.lookups.size(), "Ann was looked up when her first message was sent");

    auth.put(ann.id(), "Annabel");
    vertx.eventBus().publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", ann.id()));
    List<JsonObject> page = list(bob, general, null);
    assertEquals("Annabel", page.get(0).getJsonObject("user").getString("name"));
    assertEquals("Annabel", page.get(1).getJsonObject("user").getString("name"));
    assertEquals(1, auth.lookups.size());
  }

  @Test
  @DisplayName("read_count counts members other than the author who read at or after the message, one read-count call per page")
  void readCount() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal cid = user("Cid");
    String general = channel(ann, bob, cid);
    JsonObject first = send(ann, general, "first");
    JsonObject second = send(ann, general, "second");
    Instant firstAt = Instant.parse(first.getString("created_at"));
    channels.read(general, bob.id(), Instant.parse(second.getString("created_at")));
    channels.read(general, cid.id(), firstAt);
    channels.read(general, ann.id(), Instant.now().plusSeconds(60));
    channels.resetCalls();

    List<JsonObject> page = list(ann, general, null);
    assertEquals(1, channels.calls(InternalActions.READ_COUNTS));
    assertEquals(1, page.get(0).getInteger("read_count"));
    assertEquals(2, page.get(1).getInteger("read_count"));

    channels.remove(general, cid.id(), true);
    assertEquals(1, list(ann, general, null).get(1).getInteger("read_count"));
  }

  @Test
  @DisplayName("membership answers are cached, and a membership change event makes a removed member get 403 at once")
  void membershipCacheInvalidation() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(ann, general, "hello");
    channels.resetCalls();
    list(bob, general, null);
    list(bob, general, null);
    send(bob, general, "hi");
    assertEquals(1, channels.calls(InternalActions.CHECK_ACCESS), "cached after the first check");

    channels.remove(general, bob.id(), true);
    assertFailure(failure("listChannelMessages", bob, channelPath(general), null, null), 403,
        "Not a member of this channel");
    assertFailure(failure("sendMessage", bob, channelPath(general), null, text("still here?")), 403,
        "Not a member of this channel");

    channels.add(general, bob.id());
    assertEquals(2, list(bob, general, null).size());
  }

  @Test
  @DisplayName("every operation needs a signed-in caller: 401 without a principal")
  void anonymous() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String id = send(ann, general, "x").getString("id");
    assertFailure(failure("listChannelMessages", null, channelPath(general), null, null), 401, null);
    assertFailure(failure("sendMessage", null, channelPath(general), null, text("x")), 401, null);
    assertFailure(failure("getMessage", null, messagePath(id), null, null), 401, null);
    assertFailure(failure("searchMessages", null, null, new JsonObject().put("q", "x"), null), 401, null);
    assertFailure(failure("listBookmarks", null, null, null, null), 401, null);
  }

  private JsonObject ok201(String action, Principal caller, JsonObject path, JsonObject body) {
    var reply = request(action, caller, path, null, body).await();
    assertEquals(201, reply.status());
    return (JsonObject) reply.body();
  }
}
