package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ADMIN;
import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static com.connectbest.chat.channels.ChannelsHarness.CAROL;
import static com.connectbest.chat.channels.ChannelsHarness.UNKNOWN_CHANNEL;
import static com.connectbest.chat.channels.ChannelsHarness.channelPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
class ChannelDetailsTest {

  private ChannelsHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new ChannelsHarness(vertx).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject details(Principal caller, String id) {
    return harness.ok("getChannel", caller, channelPath(id), null).getJsonObject("channel");
  }

  @Test
  @DisplayName("any signed-in user reads a public channel's details with its members' names, e-mails and roles")
  void publicDetails() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    int lookupsBefore = harness.lookupRequests.size();
    JsonObject channel = details(CAROL, id);
    assertEquals(lookupsBefore + 1, harness.lookupRequests.size(), "one lookup for all members");
    assertEquals("open", channel.getString("name"));
    JsonArray members = channel.getJsonArray("members");
    assertEquals(2, members.size());
    JsonObject alice = members.getJsonObject(0);
    assertEquals(ALICE.id(), alice.getString("id"));
    assertEquals(ALICE.id(), alice.getString("user_id"));
    assertEquals("Alice", alice.getString("name"));
    assertEquals("alice@example.com", alice.getString("email"));
    assertEquals("admin", alice.getString("role"));
    assertNotNull(Instant.parse(alice.getString("joined_at")));
    assertEquals("member", members.getJsonObject(1).getString("role"));
    assertEquals("Bob", members.getJsonObject(1).getString("name"));
  }

  @Test
  @DisplayName("a private channel's details are refused to non-members with 403")
  void privateRefusedToStrangers() {
    String id = harness.create(ALICE, "hidden", "private");
    harness.fails(403, "Not a member of this channel", "getChannel", BOB, channelPath(id), null);
  }

  @Test
  @DisplayName("a private channel's details are shown to its members and to site administrators")
  void privateShownToMembersAndAdmins() {
    String id = harness.create(ALICE, "hidden", "private");
    harness.add(ALICE, id, BOB.id());
    assertEquals(2, details(BOB, id).getJsonArray("members").size());
    assertEquals("private", details(ADMIN, id).getString("type"));
  }

  @Test
  @DisplayName("an unknown channel is 404, a malformed id 400, a DM id 404")
  void idErrors() {
    harness.fails(404, "Channel not found", "getChannel", ALICE, channelPath(UNKNOWN_CHANNEL), null);
    harness.fails(400, null, "getChannel", ALICE, channelPath("not-an-id"), null);
    harness.fails(400, null, "getChannel", ALICE, new JsonObject(), null);
    String dm = harness.dm(ALICE, BOB);
    harness.fails(404, "Channel not found", "getChannel", ALICE, channelPath(dm), null);
  }

  @Test
  @DisplayName("a member whose account no longer exists is left out of the member list")
  void vanishedMember() {
    String id = harness.create(ALICE, "ghosts", null);
    harness.join(CAROL, id);
    harness.users.remove(CAROL.id());
    JsonArray members = details(ALICE, id).getJsonArray("members");
    assertEquals(1, members.size());
    assertEquals(ALICE.id(), members.getJsonObject(0).getString("user_id"));
  }

  @Test
  @DisplayName("the general channel exists from the first start, public and created by nobody")
  void generalExists() {
    JsonObject general = harness.mongo.findOne(ChannelStore.CHANNELS, new JsonObject().put("name", "general"), null)
        .await();
    String id = MongoDocs.id(general);
    JsonObject channel = details(ALICE, id);
    assertEquals("public", channel.getString("type"));
    assertNull(channel.getString("created_by"));
    assertEquals(0, channel.getJsonArray("members").size());
  }

  @Test
  @DisplayName("restarting the service does not create a second general channel")
  void generalIdempotent() {
    harness.undeploy();
    harness.deploy();
    assertEquals(1L, harness.count(ChannelStore.CHANNELS, new JsonObject().put("name_lower", "general")));
  }

  @Test
  @DisplayName("a channel with 1,201 members lists them all: 1,000 on the first page, the rest after its cursor")
  void membersPage() {
    String id = harness.create(ALICE, "crowded", null);
    for (int i = 0; i < 1200; i++) {
      Principal member = new Principal(new org.bson.types.ObjectId().toHexString(), "m" + i + "@example.com",
          "Member " + i, "user");
      harness.users.put(member.id(), new JsonObject().put("id", member.id()).put("name", member.name())
          .put("email", member.email()));
      harness.join(member, id);
    }
    JsonObject first = details(BOB, id);
    assertEquals(1000, first.getJsonArray("members").size());
    assertEquals(true, first.getBoolean("members_has_more"));
    assertEquals(ALICE.id(), first.getJsonArray("members").getJsonObject(0).getString("user_id"), "join order");
    JsonObject second = harness.client.send(com.connectbest.chat.common.Addresses.CHANNELS,
            new com.connectbest.chat.common.ServiceRequest("getChannel", BOB, channelPath(id),
                new JsonObject().put("members_cursor", first.getString("members_next_cursor")), null, null))
        .map(reply -> ((JsonObject) reply.body()).getJsonObject("channel")).await();
    assertEquals(201, second.getJsonArray("members").size());
    assertEquals(false, second.getBoolean("members_has_more"));
    assertNull(second.getValue("members_next_cursor"));
    java.util.Set<String> all = new java.util.HashSet<>();
    first.getJsonArray("members").forEach(m -> all.add(((JsonObject) m).getString("user_id")));
    second.getJsonArray("members").forEach(m -> all.add(((JsonObject) m).getString("user_id")));
    assertEquals(1201, all.size());

    JsonObject small = harness.client.send(com.connectbest.chat.common.Addresses.CHANNELS,
            new com.connectbest.chat.common.ServiceRequest("getChannel", BOB, channelPath(id),
                new JsonObject().put("members_limit", "2"), null, null))
        .map(reply -> ((JsonObject) reply.body()).getJsonObject("channel")).await();
    assertEquals(2, small.getJsonArray("members").size());
    ChannelsHarness.failure(harness.client.send(com.connectbest.chat.common.Addresses.CHANNELS,
        new com.connectbest.chat.common.ServiceRequest("getChannel", BOB, channelPath(id),
            new JsonObject().put("members_cursor", "nope"), null, null)));
  }
}
