package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static com.connectbest.chat.channels.ChannelsHarness.CAROL;
import static com.connectbest.chat.channels.ChannelsHarness.UNKNOWN_CHANNEL;
import static com.connectbest.chat.channels.ChannelsHarness.channelPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ReadAndTypingTest {

  private static final long WINDOW_MS = 400;

  private ChannelsHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new ChannelsHarness(vertx).deploy(new JsonObject().put("TYPING_WINDOW_MS", WINDOW_MS));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject typing(boolean value) {
    return new JsonObject().put("typing", value);
  }

  private JsonArray typingUsers(Principal caller, String channelId) {
    return harness.ok("getTypingUsers", caller, channelPath(channelId), null).getJsonArray("typing_users");
  }

  @Test
  @DisplayName("marking a channel read upserts one read position per user and tells the user's other sessions")
  void markRead() {
    String id = harness.create(ALICE, "open", null);
    ChannelsHarness.Recorder alice = harness.listen(Addresses.user(ALICE.id()));
    JsonObject first = harness.ok("markChannelRead", ALICE, channelPath(id), null);
    assertEquals("Marked as read", first.getString("message"));
    JsonObject data = first.getJsonObject("data");
    assertEquals(ALICE.id(), data.getString("user_id"));
    assertEquals(id, data.getString("channel_id"));
    Instant firstAt = Instant.parse(data.getString("last_read_at"));
    alice.await(e -> "read".equals(e.getString("type")) && id.equals(e.getString("channelId"))
        && data.getString("last_read_at").equals(e.getString("last_read_at")));
    long deadline = System.currentTimeMillis() + 5_000;
    while (harness.readNotices.isEmpty() && System.currentTimeMillis() < deadline) {
      ChannelsHarness.sleep(10);
    }
    assertEquals(new JsonObject().put("channel_id", id).put("user_id", ALICE.id())
        .put("last_read_at", data.getString("last_read_at")), harness.readNotices.get(0),
        "the messages service hears of the read mark (its unread counters)");

    ChannelsHarness.sleep(5);
    Instant secondAt = Instant.parse(harness.markRead(ALICE, id));
    assertTrue(secondAt.isAfter(firstAt));
    JsonObject query = new JsonObject().put("user_id", ALICE.id()).put("channel_id", id);
    assertEquals(1L, harness.count(ReadStateStore.READS, query));
    JsonObject stored = harness.mongo.findOne(ReadStateStore.READS, query, null).await();
    assertEquals(secondAt, MongoDocs.instant(stored.getValue("last_read_at")));
  }

  @Test
  @DisplayName("only members mark a channel read; unknown channels are 404")
  void markReadRules() {
    String id = harness.create(ALICE, "open", null);
    harness.fails(403, "Not a member of this channel", "markChannelRead", BOB, channelPath(id), null);
    harness.fails(404, "Channel not found", "markChannelRead", ALICE, channelPath(UNKNOWN_CHANNEL), null);
    harness.fails(400, null, "markChannelRead", ALICE, channelPath("dm_nope"), null);
    assertEquals(0L, harness.count(ReadStateStore.READS, new JsonObject()));
  }

  @Test
  @DisplayName("typing is announced to the channel with the typist's name and listed to the other members only")
  void typingAnnouncedAndListed() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    ChannelsHarness.Recorder channel = harness.listen(Addresses.channel(id));
    assertEquals("Typing status updated",
        harness.ok("setTyping", BOB, channelPath(id), typing(true)).getString("message"));
    channel.await(e -> "typing".equals(e.getString("type")) && id.equals(e.getString("channelId"))
        && BOB.id().equals(e.getString("userId")) && "Bob".equals(e.getString("name"))
        && Boolean.TRUE.equals(e.getBoolean("typing")) && e.getString("at") != null);
    assertEquals(new JsonArray().add("Bob"), typingUsers(ALICE, id));
    assertEquals(new JsonArray(), typingUsers(BOB, id), "one's own typing is not listed");
  }

  @Test
  @DisplayName("typing false removes the entry and is announced, and typing never writes to the store")
  void typingStops() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.ok("setTyping", BOB, channelPath(id), typing(true));
    ChannelsHarness.Recorder channel = harness.listen(Addresses.channel(id));
    harness.ok("setTyping", BOB, channelPath(id), typing(false));
    channel.await(e -> "typing".equals(e.getString("type")) && Boolean.FALSE.equals(e.getBoolean("typing")));
    assertEquals(new JsonArray(), typingUsers(ALICE, id));
    assertEquals(0L, harness.count("typing_status", new JsonObject()));
  }

  @Test
  @DisplayName("typing entries older than the window are no longer listed, and typing again refreshes one entry")
  void typingExpires() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.join(CAROL, id);
    harness.ok("setTyping", BOB, channelPath(id), typing(true));
    ChannelsHarness.sleep(WINDOW_MS + 100);
    harness.ok("setTyping", CAROL, channelPath(id), typing(true));
    assertEquals(new JsonArray().add("Carol"), typingUsers(ALICE, id));
    harness.ok("setTyping", BOB, channelPath(id), typing(true));
    harness.ok("setTyping", BOB, channelPath(id), typing(true));
    assertEquals(new JsonArray().add("Carol").add("Bob"), typingUsers(ALICE, id), "typing again refreshes one entry");
  }

  @Test
  @DisplayName("only members set or read typing, and typing must be a boolean")
  void typingRules() {
    String id = harness.create(ALICE, "open", null);
    harness.fails(403, "Not a member of this channel", "setTyping", BOB, channelPath(id), typing(true));
    harness.fails(403, "Not a member of this channel", "getTypingUsers", BOB, channelPath(id), null);
    harness.fails(400, null, "setTyping", ALICE, channelPath(id), new JsonObject().put("typing", "yes"));
    harness.fails(400, null, "setTyping", ALICE, channelPath(id), new JsonObject());
    harness.fails(404, "Channel not found", "setTyping", ALICE, channelPath(UNKNOWN_CHANNEL), typing(true));
    assertEquals(new JsonArray(), typingUsers(ALICE, id));
  }

  @Test
  @DisplayName("the two members of a DM mark it read and type in it; nobody else can")
  void directMessages() {
    String dm = harness.dm(ALICE, BOB);
    assertEquals(dm, harness.dm(BOB, ALICE), "the DM id does not depend on the order of the users");
    harness.ok("markChannelRead", BOB, channelPath(dm), null);
    harness.ok("setTyping", ALICE, channelPath(dm), typing(true));
    assertEquals(new JsonArray().add("Alice"), typingUsers(BOB, dm));
    harness.fails(403, "Not a member of this channel", "markChannelRead", CAROL, channelPath(dm), null);
    harness.fails(403, "Not a member of this channel", "getTypingUsers", CAROL, channelPath(dm), null);
    String unknownDm = "dm_" + CAROL.id() + "_" + ChannelsHarness.GHOST;
    harness.fails(404, "Channel not found", "markChannelRead", CAROL, channelPath(unknownDm), null);
  }

  @Test
  @DisplayName("the typing routes take dm-<partner id> (the original frontend's form) as the DM with that partner")
  void typingByPartner() {
    String dm = harness.dm(ALICE, BOB);
    harness.ok("setTyping", ALICE, channelPath("dm-" + BOB.id().toUpperCase()), typing(true));
    assertEquals(new JsonArray().add("Alice"), typingUsers(BOB, "dm-" + ALICE.id()));
    assertEquals(new JsonArray().add("Alice"), typingUsers(BOB, dm));
    harness.fails(400, null, "setTyping", ALICE, channelPath("dm-" + ALICE.id()), typing(true));
    harness.fails(400, null, "setTyping", ALICE, channelPath("dm-nope"), typing(true));
    harness.fails(404, "Channel not found", "getTypingUsers", CAROL, channelPath("dm-" + ALICE.id()), null);
  }
}
