package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ADMIN;
import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static com.connectbest.chat.channels.ChannelsHarness.CAROL;
import static com.connectbest.chat.channels.ChannelsHarness.GHOST;
import static com.connectbest.chat.channels.ChannelsHarness.UNKNOWN_CHANNEL;
import static com.connectbest.chat.channels.ChannelsHarness.channelPath;
import static com.connectbest.chat.channels.ChannelsHarness.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MembershipTest {

  private ChannelsHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new ChannelsHarness(vertx).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private boolean isMember(String channelId, Principal user) {
    return harness.count(MembershipStore.MEMBERS,
        new JsonObject().put("channel_id", channelId).put("user_id", user.id())) == 1;
  }

  private JsonObject addBody(String userId) {
    return new JsonObject().put("user_id", userId);
  }

  private static boolean event(JsonObject event, String type, String channelId, String userId) {
    return type.equals(event.getString("type")) && channelId.equals(event.getString("channelId"))
        && userId.equals(event.getString("userId")) && event.getString("at") != null;
  }

  private static boolean change(JsonObject event, String channelId, String userId, String change) {
    return channelId.equals(event.getString("channel_id")) && userId.equals(event.getString("user_id"))
        && change.equals(event.getString("change"));
  }

  @Test
  @DisplayName("joining a public channel makes a plain member and is announced to the channel, the user and caches")
  void joinPublic() {
    String id = harness.create(ALICE, "open", null);
    ChannelsHarness.Recorder channel = harness.listen(Addresses.channel(id));
    ChannelsHarness.Recorder user = harness.listen(Addresses.user(BOB.id()));
    ChannelsHarness.Recorder changes = harness.listen(Addresses.MEMBERSHIP_CHANGED);
    assertEquals("Joined channel successfully",
        harness.ok("joinChannel", BOB, channelPath(id), null).getString("message"));
    assertEquals("member", harness.mongo.findOne(MembershipStore.MEMBERS,
        new JsonObject().put("channel_id", id).put("user_id", BOB.id()), null).await().getString("role"));
    channel.await(e -> event(e, "member_joined", id, BOB.id()) && e.getValue("seq") != null);
    user.await(e -> event(e, "member_joined", id, BOB.id()));
    changes.await(e -> change(e, id, BOB.id(), "joined"));
  }

  @Test
  @DisplayName("nobody, not even a site administrator, can join a private channel")
  void joinPrivateRefused() {
    String id = harness.create(ALICE, "hidden", "private");
    harness.fails(403, "Cannot join private channel", "joinChannel", BOB, channelPath(id), null);
    harness.fails(403, "Cannot join private channel", "joinChannel", ADMIN, channelPath(id), null);
    assertEquals(false, isMember(id, BOB));
  }

  @Test
  @DisplayName("joining twice is 400, joining an unknown channel 404, a malformed id 400, a DM 404")
  void joinErrors() {
    String id = harness.create(ALICE, "open", null);
    harness.fails(400, "Already a member", "joinChannel", ALICE, channelPath(id), null);
    harness.fails(404, "Channel not found", "joinChannel", BOB, channelPath(UNKNOWN_CHANNEL), null);
    harness.fails(400, null, "joinChannel", BOB, channelPath("xyz"), null);
    String dm = harness.dm(ALICE, CAROL);
    harness.fails(404, "Channel not found", "joinChannel", BOB, channelPath(dm), null);
    assertEquals(false, isMember(dm, BOB));
  }

  @Test
  @DisplayName("a member adds another user to a public channel; the addition is announced")
  void addToPublic() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    ChannelsHarness.Recorder channel = harness.listen(Addresses.channel(id));
    ChannelsHarness.Recorder carol = harness.listen(Addresses.user(CAROL.id()));
    ChannelsHarness.Recorder changes = harness.listen(Addresses.MEMBERSHIP_CHANGED);
    assertEquals("Member added successfully", harness.ok("addChannelMember", BOB, channelPath(id),
        addBody(CAROL.id())).getString("message"));
    assertEquals(true, isMember(id, CAROL));
    channel.await(e -> event(e, "member_joined", id, CAROL.id()));
    carol.await(e -> event(e, "member_joined", id, CAROL.id()));
    changes.await(e -> change(e, id, CAROL.id(), "joined"));
  }

  @Test
  @DisplayName("a non-member cannot add anyone, to a public or a private channel")
  void addByStrangerRefused() {
    String open = harness.create(ALICE, "open", null);
    String hidden = harness.create(ALICE, "hidden", "private");
    harness.fails(403, "Not a member of this channel", "addChannelMember", BOB, channelPath(open), addBody(CAROL.id()));
    harness.fails(403, "Not a member of this channel", "addChannelMember", BOB, channelPath(hidden),
        addBody(BOB.id()));
    harness.fails(403, "Not a member of this channel", "addChannelMember", ADMIN, channelPath(hidden),
        addBody(ADMIN.id()));
    assertEquals(false, isMember(open, CAROL));
    assertEquals(false, isMember(hidden, BOB));
    assertEquals(false, isMember(hidden, ADMIN));
  }

  @Test
  @DisplayName("in a private channel a plain member cannot add anyone, a channel admin can")
  void addToPrivateNeedsChannelAdmin() {
    String id = harness.create(ALICE, "hidden", "private");
    harness.add(ALICE, id, BOB.id());
    harness.fails(403, null, "addChannelMember", BOB, channelPath(id), addBody(CAROL.id()));
    assertEquals(false, isMember(id, CAROL));
    harness.add(ALICE, id, CAROL.id());
    assertEquals(true, isMember(id, CAROL));
  }

  @Test
  @DisplayName("a site administrator who is a plain member of a private channel may add to it")
  void siteAdminMemberAddsToPrivate() {
    String id = harness.create(ALICE, "hidden", "private");
    harness.add(ALICE, id, ADMIN.id());
    harness.add(ADMIN, id, CAROL.id());
    assertEquals(true, isMember(id, CAROL));
  }

  @Test
  @DisplayName("adding an unknown user is 404, a malformed user id 400, an existing member 400")
  void addErrors() {
    String id = harness.create(ALICE, "open", null);
    harness.fails(404, "User not found", "addChannelMember", ALICE, channelPath(id), addBody(GHOST));
    harness.fails(400, null, "addChannelMember", ALICE, channelPath(id), addBody("nobody"));
    harness.fails(400, null, "addChannelMember", ALICE, channelPath(id), new JsonObject());
    harness.add(ALICE, id, BOB.id());
    harness.fails(400, "User already a member", "addChannelMember", ALICE, channelPath(id), addBody(BOB.id()));
    harness.fails(404, "Channel not found", "addChannelMember", ALICE, channelPath(UNKNOWN_CHANNEL),
        addBody(BOB.id()));
    assertEquals(0L, harness.count(MembershipStore.MEMBERS, new JsonObject().put("user_id", GHOST)));
  }

  @Test
  @DisplayName("nobody can add members to a direct-message channel")
  void addToDmRefused() {
    String dm = harness.dm(ALICE, BOB);
    harness.fails(404, "Channel not found", "addChannelMember", ALICE, channelPath(dm), addBody(CAROL.id()));
    assertEquals(false, isMember(dm, CAROL));
  }

  @Test
  @DisplayName("a member may remove themselves; the departure is announced to the channel, the user and caches")
  void removeSelf() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    ChannelsHarness.Recorder channel = harness.listen(Addresses.channel(id));
    ChannelsHarness.Recorder bob = harness.listen(Addresses.user(BOB.id()));
    ChannelsHarness.Recorder changes = harness.listen(Addresses.MEMBERSHIP_CHANGED);
    assertEquals("Member removed successfully",
        harness.ok("removeChannelMember", BOB, memberPath(id, BOB.id()), null).getString("message"));
    assertEquals(false, isMember(id, BOB));
    channel.await(e -> event(e, "member_left", id, BOB.id()));
    bob.await(e -> event(e, "member_left", id, BOB.id()));
    changes.await(e -> change(e, id, BOB.id(), "left"));
  }

  @Test
  @DisplayName("a channel admin removes another member")
  void channelAdminRemoves() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.ok("removeChannelMember", ALICE, memberPath(id, BOB.id()), null);
    assertEquals(false, isMember(id, BOB));
  }

  @Test
  @DisplayName("a site administrator removes a member without belonging to the channel")
  void siteAdminRemoves() {
    String id = harness.create(ALICE, "hidden", "private");
    harness.add(ALICE, id, BOB.id());
    harness.ok("removeChannelMember", ADMIN, memberPath(id, BOB.id()), null);
    assertEquals(false, isMember(id, BOB));
  }

  @Test
  @DisplayName("a plain member or a stranger cannot remove someone else")
  void removeRefused() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.fails(403, "Not authorized to remove members", "removeChannelMember", BOB, memberPath(id, ALICE.id()),
        null);
    harness.fails(403, "Not authorized to remove members", "removeChannelMember", CAROL, memberPath(id, BOB.id()),
        null);
    assertEquals(true, isMember(id, ALICE));
    assertEquals(true, isMember(id, BOB));
  }

  @Test
  @DisplayName("removing someone who is not a member is 400, an unknown channel 404, a malformed user id 400")
  void removeErrors() {
    String id = harness.create(ALICE, "open", null);
    harness.fails(400, "Failed to remove member", "removeChannelMember", ALICE, memberPath(id, CAROL.id()), null);
    harness.fails(400, "Failed to remove member", "removeChannelMember", CAROL, memberPath(id, CAROL.id()), null);
    harness.fails(404, "Channel not found", "removeChannelMember", ADMIN, memberPath(UNKNOWN_CHANNEL, BOB.id()),
        null);
    harness.fails(400, null, "removeChannelMember", ALICE, memberPath(id, "bob"), null);
  }

  @Test
  @DisplayName("a removed member no longer shows as typing")
  void removalClearsTyping() {
    String id = harness.create(ALICE, "open", null);
    harness.join(BOB, id);
    harness.ok("setTyping", BOB, channelPath(id), new JsonObject().put("typing", true));
    harness.ok("removeChannelMember", ALICE, memberPath(id, BOB.id()), null);
    assertEquals(0, harness.ok("getTypingUsers", ALICE, channelPath(id), null).getJsonArray("typing_users").size());
  }

  @Test
  @DisplayName("a registered user joins general once, however often the registration event arrives")
  void registrationJoinsGeneral() {
    JsonObject general = harness.mongo.findOne(ChannelStore.CHANNELS, new JsonObject().put("name", "general"), null)
        .await();
    assertNotNull(general);
    String generalId = com.connectbest.chat.common.MongoDocs.id(general);
    ChannelsHarness.Recorder carol = harness.listen(Addresses.user(CAROL.id()));
    harness.vertx.eventBus().publish(Addresses.USER_REGISTERED, new JsonObject().put("user_id", CAROL.id()));
    harness.vertx.eventBus().publish(Addresses.USER_REGISTERED, new JsonObject().put("user_id", CAROL.id()));
    carol.await(e -> event(e, "member_joined", generalId, CAROL.id()));
    carol.none(e -> false, 200);
    assertEquals(1, carol.received.size(), "announced once");
    assertEquals(true, isMember(generalId, CAROL));
    assertEquals(1L, harness.count(MembershipStore.MEMBERS, new JsonObject().put("user_id", CAROL.id())));
    harness.vertx.eventBus().publish(Addresses.USER_REGISTERED, new JsonObject().put("user_id", "garbage"));
    ChannelsHarness.sleep(100);
    assertEquals(1L, harness.count(MembershipStore.MEMBERS, new JsonObject()));
  }
}
