package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ADMIN;
import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static com.connectbest.chat.channels.ChannelsHarness.CAROL;
import static com.connectbest.chat.channels.ChannelsHarness.UNKNOWN_CHANNEL;
import static com.connectbest.chat.channels.ChannelsHarness.channelPath;
import static com.connectbest.chat.channels.ChannelsHarness.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class InternalActionsTest {

  private ChannelsHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new ChannelsHarness(vertx).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject access(String channelId, String userId) {
    return harness.internal(InternalActions.CHECK_ACCESS,
        new JsonObject().put("channel_id", channelId).put("user_id", userId));
  }

  private static void assertAccess(JsonObject access, boolean exists, String type, boolean member, String role) {
    assertEquals(exists, access.getBoolean("exists"), access.encode());
    assertEquals(type, access.getString("type"), access.encode());
    assertEquals(member, access.getBoolean("member"), access.encode());
    assertEquals(role, access.getString("member_role"), access.encode());
  }

  @Test
  @DisplayName("checkAccess tells whether a channel exists, its type, and the user's membership and role")
  void checkAccess() {
    String open = harness.create(ALICE, "open", null);
    String hidden = harness.create(ALICE, "hidden", "private");
    harness.join(BOB, open);
    String dm = harness.dm(ALICE, CAROL);
    assertAccess(access(open, ALICE.id()), true, "public", true, "admin");
    assertAccess(access(open, BOB.id()), true, "public", true, "member");
    assertAccess(access(open, CAROL.id()), true, "public", false, null);
    assertAccess(access(hidden, BOB.id()), true, "private", false, null);
    assertAccess(access(open.toUpperCase(), ALICE.id().toUpperCase()), true, "public", true, "admin");
    assertAccess(access(dm, CAROL.id()), true, "dm", true, "member");
    assertAccess(access(dm, BOB.id()), true, "dm", false, null);
    assertAccess(access(UNKNOWN_CHANNEL, ALICE.id()), false, null, false, null);
    assertAccess(access("x", ALICE.id()), false, null, false, null);
    assertAccess(access(open, "nobody"), true, "public", false, null);
  }

  @Test
  @DisplayName("checkAccessMany answers for each channel exactly what checkAccess answers for it, in one request")
  void checkAccessMany() {
    String open = harness.create(ALICE, "open", null);
    String hidden = harness.create(ALICE, "hidden", "private");
    harness.join(BOB, open);
    String dm = harness.dm(ALICE, CAROL);
    List<String> ids = List.of(open, hidden, dm, UNKNOWN_CHANNEL, "x", open.toUpperCase());
    for (Principal user : List.of(ALICE, BOB, CAROL)) {
      JsonObject many = harness.internal(InternalActions.CHECK_ACCESS_MANY, new JsonObject().put("user_id", user.id())
          .put("channel_ids", new JsonArray(ids))).getJsonObject("access");
      assertEquals(new HashSet<>(ids), many.fieldNames(), many.encode());
      for (String id : ids) {
        assertEquals(access(id, user.id()), many.getJsonObject(id), user.name() + " in " + id);
      }
    }
    JsonObject nobody = harness.internal(InternalActions.CHECK_ACCESS_MANY, new JsonObject().put("user_id", "bad")
        .put("channel_ids", new JsonArray().add(open))).getJsonObject("access");
    assertAccess(nobody.getJsonObject(open), true, "public", false, null);
  }

  @Test
  @DisplayName("memberChannels lists every channel of a user, DMs included")
  void memberChannels() {
    String open = harness.create(ALICE, "open", null);
    String hidden = harness.create(BOB, "hidden", "private");
    String dm = harness.dm(ALICE, BOB);
    JsonArray ids = harness.internal(InternalActions.MEMBER_CHANNELS, new JsonObject().put("user_id", ALICE.id()))
        .getJsonArray("channel_ids");
    assertEquals(Set.of(open, dm), new HashSet<>(ids.getList()));
    assertTrue(!ids.contains(hidden));
    assertEquals(0, harness.internal(InternalActions.MEMBER_CHANNELS, new JsonObject().put("user_id", "bad"))
        .getJsonArray("channel_ids").size());
  }

  @Test
  @DisplayName("channelReadStates lists current members only, with null for those who never read")
  void channelReadStates() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.join(CAROL, id);
    String aliceRead = harness.markRead(ALICE, id);
    harness.ok("markChannelRead", CAROL, channelPath(id), null);
    harness.ok("removeChannelMember", CAROL, memberPath(id, CAROL.id()), null);
    List<JsonObject> reads = harness.internal(InternalActions.CHANNEL_READ_STATES,
        new JsonObject().put("channel_id", id)).getJsonArray("reads").stream().map(JsonObject.class::cast).toList();
    Map<String, Object> byUser = reads.stream().collect(Collectors.toMap(r -> r.getString("user_id"),
        r -> r.getValue("last_read_at") == null ? "never" : r.getValue("last_read_at")));
    assertEquals(Map.of(ALICE.id(), aliceRead, BOB.id(), "never"), byUser);
    assertEquals(Instant.parse(aliceRead), Instant.parse((String) byUser.get(ALICE.id())));
  }

  @Test
  @DisplayName("memberRemovals moves a channel's count with each removal of a member (a leave too), and only that "
      + "channel's; over 1,000 channels is a 400")
  void memberRemovals() {
    String open = harness.create(ALICE, "open", null);
    String other = harness.create(ALICE, "other", null);
    harness.join(BOB, open);
    harness.join(CAROL, open);
    JsonObject ids = new JsonObject().put("channel_ids", new JsonArray().add(open).add(other).add("not-an-id"));
    assertEquals(new JsonObject().put(open, 0L).put(other, 0L),
        harness.internal(InternalActions.MEMBER_REMOVALS, ids).getJsonObject("removals"));
    harness.ok("removeChannelMember", ALICE, memberPath(open, CAROL.id()), null);
    harness.ok("removeChannelMember", BOB, memberPath(open, BOB.id()), null);
    JsonObject removals = harness.internal(InternalActions.MEMBER_REMOVALS, ids).getJsonObject("removals");
    assertEquals(2L, removals.getLong(open));
    assertEquals(0L, removals.getLong(other));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= InternalActions.MEMBER_REMOVALS_LIMIT; i++) {
      tooMany.add(open);
    }
    assertEquals(400, ChannelsHarness.failure(harness.client.call(Addresses.CHANNELS, InternalActions.MEMBER_REMOVALS,
        new JsonObject().put("channel_ids", tooMany))).status());
  }

  @Test
  @DisplayName("dmReadStates lists only the user's own DM conversations, with their read positions")
  void dmReadStates() {
    String open = harness.create(ALICE, "open", null);
    String withBob = harness.dm(ALICE, BOB);
    String withCarol = harness.dm(ALICE, CAROL);
    String betweenOthers = harness.dm(BOB, CAROL);
    String read = harness.markRead(ALICE, withBob);
    Map<String, Object> byChannel = harness.internal(InternalActions.DM_READ_STATES,
            new JsonObject().put("user_id", ALICE.id())).getJsonArray("dms").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(d -> d.getString("channel_id"),
            d -> d.getValue("last_read_at") == null ? "never" : Instant.parse(d.getString("last_read_at"))));
    assertEquals(Map.of(withBob, Instant.parse(read), withCarol, "never"), byChannel);
    assertTrue(!byChannel.containsKey(open) && !byChannel.containsKey(betweenOthers));
    assertEquals(0, harness.internal(InternalActions.DM_READ_STATES, new JsonObject().put("user_id", "bad"))
        .getJsonArray("dms").size());
  }

  @Test
  @DisplayName("readCounts counts current members other than the author who read at or after each message")
  void readCounts() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.join(CAROL, id);
    Instant before = Instant.now().minusSeconds(60);
    harness.ok("markChannelRead", BOB, channelPath(id), null);
    harness.ok("markChannelRead", CAROL, channelPath(id), null);
    harness.ok("markChannelRead", ALICE, channelPath(id), null);
    harness.ok("removeChannelMember", CAROL, memberPath(id, CAROL.id()), null);
    JsonObject counts = harness.internal(InternalActions.READ_COUNTS, new JsonObject().put("channel_id", id)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("id", "m1").put("created_at", before.toString()).put("user_id", ALICE.id()))
            .add(new JsonObject().put("id", "m2").put("created_at", Instant.now().plusSeconds(60).toString())
                .put("user_id", ALICE.id()))
            .add(new JsonObject().put("id", "m3").put("created_at", before.toString()).put("user_id", BOB.id()))))
        .getJsonObject("counts");
    assertEquals(1L, counts.getLong("m1"), "Bob read it; Carol left; Alice wrote it");
    assertEquals(0L, counts.getLong("m2"), "nobody has read a message from the future");
    assertEquals(1L, counts.getLong("m3"), "Alice read Bob's message");
  }

  @Test
  @DisplayName("a read position exactly at a message's time counts as read, except for the message's author")
  void readCountsAtTheBoundary() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    Instant bobRead = Instant.parse(harness.markRead(BOB, id));
    JsonObject counts = harness.internal(InternalActions.READ_COUNTS, new JsonObject().put("channel_id", id)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("id", "at").put("created_at", bobRead.toString()).put("user_id", ALICE.id()))
            .add(new JsonObject().put("id", "after").put("created_at", bobRead.plusMillis(1).toString())
                .put("user_id", ALICE.id()))
            .add(new JsonObject().put("id", "own").put("created_at", bobRead.toString()).put("user_id", BOB.id()))))
        .getJsonObject("counts");
    assertEquals(1L, counts.getLong("at"));
    assertEquals(0L, counts.getLong("after"));
    assertEquals(0L, counts.getLong("own"));
  }

  @Test
  @DisplayName("countChannels counts ordinary channels, not DMs")
  void countChannels() {
    harness.create(ALICE, "one", null);
    harness.create(ALICE, "two", "private");
    harness.dm(ALICE, BOB);
    assertEquals(3L, harness.internal(InternalActions.COUNT_CHANNELS, new JsonObject()).getLong("count"),
        "general, one, two");
  }

  @Test
  @DisplayName("a DM channel is created once with both users as members")
  void ensureDm() {
    ChannelsHarness.Recorder changes = harness.listen(Addresses.MEMBERSHIP_CHANGED);
    JsonObject first = harness.internal(InternalActions.ENSURE_DM_CHANNEL,
        new JsonObject().put("user_ids", new JsonArray().add(BOB.id()).add(ALICE.id())));
    String expected = "dm_" + ALICE.id() + "_" + BOB.id();
    assertEquals(expected, first.getString("channel_id"));
    assertEquals(true, first.getBoolean("created"));
    JsonObject second = harness.internal(InternalActions.ENSURE_DM_CHANNEL,
        new JsonObject().put("user_ids", new JsonArray().add(ALICE.id()).add(BOB.id())));
    assertEquals(false, second.getBoolean("created"));
    assertEquals(2L, harness.count(MembershipStore.MEMBERS, new JsonObject().put("channel_id", expected)));
    changes.await(e -> expected.equals(e.getString("channel_id")) && BOB.id().equals(e.getString("user_id")));
    assertEquals(400, ChannelsHarness.failure(harness.client.call(Addresses.CHANNELS, InternalActions.ENSURE_DM_CHANNEL,
        new JsonObject().put("user_ids", new JsonArray().add(ALICE.id()).add(ALICE.id())))).status());
  }

  @Test
  @DisplayName("only site administrators list every channel, each with its member count")
  void listAllChannels() {
    harness.fails(403, "Admin access required", "listAllChannels", ALICE, new JsonObject(), null);
    harness.fails(401, null, "listAllChannels", null, new JsonObject(), null);
    String open = harness.create(ALICE, "open", null);
    harness.join(BOB, open);
    harness.join(CAROL, open);
    String hidden = harness.create(BOB, "hidden", "private");
    harness.dm(ALICE, BOB);
    JsonObject answer = harness.ok("listAllChannels", ADMIN, new JsonObject(), null);
    assertEquals(3, answer.getInteger("total"));
    Map<String, JsonObject> byName = answer.getJsonArray("channels").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("name"), c -> c));
    assertEquals(Set.of("general", "open", "hidden"), byName.keySet());
    assertEquals(3L, byName.get("open").getLong("memberCount"));
    assertEquals(1L, byName.get("hidden").getLong("memberCount"));
    assertEquals(0L, byName.get("general").getLong("memberCount"));
    assertEquals(open, byName.get("open").getString("id"));
    assertEquals(hidden, byName.get("hidden").getString("id"));
    assertEquals("private", byName.get("hidden").getString("type"));
    assertEquals(BOB.id(), byName.get("hidden").getString("created_by"));
    assertNull(byName.get("general").getString("created_by"));
    Instant.parse(byName.get("open").getString("createdAt"));
  }
}
