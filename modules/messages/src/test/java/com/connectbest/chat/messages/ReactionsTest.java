package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReactionsTest extends MessagesTestBase {

  private static JsonObject emoji(String emoji) {
    return new JsonObject().put("emoji", emoji);
  }

  private static JsonObject summary(String emoji, String... users) {
    return new JsonObject().put("emoji", emoji).put("count", users.length).put("users", new JsonArray(List.of(users)));
  }

  @Test
  @DisplayName("a reaction is idempotent per user and emoji, and reactions aggregate into emoji, count and users")
  void idempotentAndAggregated() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String id = send(ann, general, "ship it?").getString("id");
    JsonObject path = channelPath(general).put("messageId", id);
    EventProbe probe = events(general);

    JsonObject first = ok("addReaction", ann, path, null, emoji("👍"));
    assertTrue(first.getBoolean("success"));
    assertEquals(new JsonObject().put("messageId", id).put("userId", ann.id()).put("emoji", "👍"),
        first.getJsonObject("reaction"));
    JsonObject event = probe.next(Events.REACTION_ADDED);
    assertEquals(id, event.getString("messageId"));
    assertEquals(ann.id(), event.getString("userId"));
    assertEquals("👍", event.getString("emoji"));
    assertEquals(new JsonArray().add(summary("👍", ann.id())), event.getJsonArray("reactions"));

    JsonObject again = ok("addReaction", ann, path, null, emoji(" 👍 "));
    assertEquals(new JsonArray().add(summary("👍", ann.id())), again.getJsonArray("reactions"));
    probe.none();

    ok("addReaction", bob, path, null, emoji("👍"));
    JsonObject last = ok("addReaction", ann, path, null, emoji("🚀"));
    JsonArray expected = new JsonArray().add(summary("👍", ann.id(), bob.id())).add(summary("🚀", ann.id()));
    assertEquals(expected, last.getJsonArray("reactions"));
    assertEquals(expected, get(bob, id).getJsonArray("reactions"));
    assertEquals(expected, list(bob, general, null).get(0).getJsonArray("reactions"));
  }

  @Test
  @DisplayName("a reaction is removed by an emoji in the body or in the query, publishing reaction_removed once")
  void removal() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String id = send(ann, general, "hi").getString("id");
    JsonObject path = channelPath(general).put("messageId", id);
    ok("addReaction", ann, path, null, emoji("👍"));
    ok("addReaction", bob, path, null, emoji("👍"));
    ok("addReaction", ann, path, null, emoji("🎉"));
    EventProbe probe = events(general);

    JsonObject byBody = ok("removeReaction", ann, path, null, emoji("👍"));
    assertTrue(byBody.getBoolean("success"));
    assertEquals(new JsonArray().add(summary("👍", bob.id())).add(summary("🎉", ann.id())),
        byBody.getJsonArray("reactions"));
    JsonObject event = probe.next(Events.REACTION_REMOVED);
    assertEquals("👍", event.getString("emoji"));
    assertEquals(ann.id(), event.getString("userId"));
    assertEquals(byBody.getJsonArray("reactions"), event.getJsonArray("reactions"));

    JsonObject byQuery = ok("removeReaction", ann, path, new JsonObject().put("emoji", "🎉"), null);
    assertEquals(new JsonArray().add(summary("👍", bob.id())), byQuery.getJsonArray("reactions"));
    probe.next(Events.REACTION_REMOVED);

    JsonObject nothing = ok("removeReaction", ann, path, new JsonObject().put("emoji", "🎉"), null);
    assertEquals(new JsonArray().add(summary("👍", bob.id())), nothing.getJsonArray("reactions"));
    probe.none();
    assertFailure(failure("removeReaction", ann, path, null, new JsonObject().put("emoji", " ")), 400,
        "Emoji is required");
  }

  @Test
  @DisplayName("a bodyless removal without an emoji (the original frontend's) removes all of the caller's reactions")
  void removalOfAll() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String id = send(ann, general, "hi").getString("id");
    JsonObject path = channelPath(general).put("messageId", id);
    ok("addReaction", ann, path, null, emoji("👍"));
    ok("addReaction", bob, path, null, emoji("👍"));
    ok("addReaction", ann, path, null, emoji("🎉"));
    EventProbe probe = events(general);

    JsonObject all = ok("removeReaction", ann, path, null, null);
    assertEquals(new JsonArray().add(summary("👍", bob.id())), all.getJsonArray("reactions"));
    assertEquals("👍", probe.next(Events.REACTION_REMOVED).getString("emoji"));
    assertEquals("🎉", probe.next(Events.REACTION_REMOVED).getString("emoji"));
    JsonObject again = ok("removeReaction", ann, path, null, null);
    assertEquals(new JsonArray().add(summary("👍", bob.id())), again.getJsonArray("reactions"));
    probe.none();
  }

  @Test
  @DisplayName("an emoji is required, trimmed, and at most 10 characters (a multi-code-unit emoji counts by character)")
  void emojiRules() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String id = send(ann, general, "hi").getString("id");
    JsonObject path = channelPath(general).put("messageId", id);
    assertFailure(failure("addReaction", ann, path, null, new JsonObject()), 400, "Emoji is required");
    assertFailure(failure("addReaction", ann, path, null, emoji("   ")), 400, "Emoji is required");
    assertFailure(failure("addReaction", ann, path, null, emoji("abcdefghijk")), 400, "Invalid emoji");
    assertFailure(failure("addReaction", ann, path, null, new JsonObject().put("emoji", 5)), 400, "Invalid emoji");
    assertFailure(failure("addReaction", ann, path, null, emoji("a\u0000b")), 400, "Invalid emoji");
    String family = "👨‍👩‍👧‍👦";
    assertTrue(family.length() > 10);
    assertEquals(family, ok("addReaction", ann, path, null, emoji(family)).getJsonObject("reaction").getString("emoji"));
    assertEquals(":+1:", ok("addReaction", ann, path, null, emoji(":+1:")).getJsonObject("reaction").getString("emoji"));
  }

  @Test
  @DisplayName("reactions need membership of the path's channel and a live message of that very channel")
  void reactionAccess() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    String general = channel(ann);
    String other = channel(ann, eve);
    String id = send(ann, general, "members only").getString("id");
    String gone = send(ann, general, "gone").getString("id");
    delete(ann, gone);

    assertFailure(failure("addReaction", eve, channelPath(general).put("messageId", id), null, emoji("👍")), 403,
        "Not a member of this channel");
    assertFailure(failure("addReaction", eve, channelPath(other).put("messageId", id), null, emoji("👍")), 404,
        "Message not found");
    assertFailure(failure("removeReaction", eve, channelPath(other).put("messageId", id), null, emoji("👍")), 404,
        "Message not found");
    assertFailure(failure("addReaction", ann, channelPath(general).put("messageId", gone), null, emoji("👍")), 404,
        "Message not found");
    assertFailure(failure("addReaction", ann, channelPath(general).put("messageId", new ObjectId().toHexString()), null,
        emoji("👍")), 404, "Message not found");
    assertFailure(failure("addReaction", ann, channelPath(new ObjectId().toHexString()).put("messageId", id), null,
        emoji("👍")), 404, "Channel not found");
    assertEquals(new JsonArray(), get(ann, id).getJsonArray("reactions"));
  }
}
