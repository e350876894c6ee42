package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ChannelCreationTest {

  private ChannelsHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new ChannelsHarness(vertx).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject create(JsonObject body) {
    return harness.ok(201, "createChannel", ALICE, new JsonObject(), body).getJsonObject("channel");
  }

  private void rejected(Object name) {
    harness.fails(400, null, "createChannel", ALICE, new JsonObject(), new JsonObject().put("name", name));
  }

  @Test
  @DisplayName("a new channel is public by default, answered in the contract's shape, and its creator is its admin")
  void createsPublicChannel() {
    JsonObject channel = create(new JsonObject().put("name", "Engineering").put("description", " Builders "));
    assertTrue(channel.getString("id").matches("[0-9a-f]{24}"));
    assertEquals("Engineering", channel.getString("name"));
    assertEquals("Builders", channel.getString("description"));
    assertEquals("public", channel.getString("type"));
    assertEquals(ALICE.id(), channel.getString("created_by"));
    assertNotNull(Instant.parse(channel.getString("created_at")));

    JsonObject member = harness.mongo.findOne(MembershipStore.MEMBERS,
        new JsonObject().put("channel_id", channel.getString("id")), null).await();
    assertEquals(ALICE.id(), member.getString("user_id"));
    assertEquals("admin", member.getString("role"));
    assertInstanceOf(JsonObject.class, member.getValue("joined_at"), "joined_at is a BSON date");
  }

  @Test
  @DisplayName("the stored channel keeps the lower-cased name, a string creator id and BSON dates")
  void storageShape() {
    String id = create(new JsonObject().put("name", "MixedCase")).getString("id");
    JsonObject doc = harness.mongo.findOne(ChannelStore.CHANNELS, MongoDocs.byId(id), null).await();
    assertEquals("mixedcase", doc.getString("name_lower"));
    assertEquals(ALICE.id(), doc.getString("created_by"));
    assertEquals(false, doc.getBoolean("is_deleted"));
    assertNotNull(doc.getJsonObject("created_at").getValue("$date"));
  }

  @Test
  @DisplayName("a private channel is created when asked")
  void createsPrivateChannel() {
    assertEquals("private", create(new JsonObject().put("name", "secret").put("type", "private")).getString("type"));
  }

  @Test
  @DisplayName("names of 1 and 80 letters, digits, hyphens and underscores are accepted")
  void acceptsNameBounds() {
    create(new JsonObject().put("name", "a"));
    create(new JsonObject().put("name", "A-b_9"));
    create(new JsonObject().put("name", "x".repeat(80)));
  }

  @Test
  @DisplayName("each malformed name is refused with 400")
  void refusesBadNames() {
    for (Object name : new Object[] {"", "   ", "x".repeat(81), "two words", "dots.here", "emoji😀", "slash/x",
        "tab\tname", 42, true, new JsonObject()}) {
      rejected(name);
    }
    harness.fails(400, null, "createChannel", ALICE, new JsonObject(), new JsonObject());
    harness.fails(400, null, "createChannel", ALICE, new JsonObject(), null);
    assertEquals(1L, harness.count(ChannelStore.CHANNELS, new JsonObject()), "only general exists");
  }

  @Test
  @DisplayName("names starting with dm_ are reserved for direct messages, in any case")
  void dmPrefixReserved() {
    rejected("dm_anything");
    rejected("DM_Anything");
    rejected("Dm_x");
    create(new JsonObject().put("name", "dmx"));
    create(new JsonObject().put("name", "dm-x"));
  }

  @Test
  @DisplayName("a name already taken in another case is refused with 409")
  void duplicateNameCaseInsensitive() {
    create(new JsonObject().put("name", "Design"));
    harness.fails(409, "Channel with this name already exists", "createChannel", BOB, new JsonObject(),
        new JsonObject().put("name", "design"));
    harness.fails(409, "Channel with this name already exists", "createChannel", BOB, new JsonObject(),
        new JsonObject().put("name", "GENERAL"));
  }

  @Test
  @DisplayName("of concurrent creations of one name, exactly one wins and the others get 409")
  void duplicateNameRace() {
    List<Future<ServiceReply>> attempts = new ArrayList<>();
    for (String name : new String[] {"race", "Race", "RACE", "rAce", "raCE"}) {
      attempts.add(harness.send("createChannel", ALICE, new JsonObject(), new JsonObject().put("name", name)));
    }
    int created = 0;
    for (Future<ServiceReply> attempt : attempts) {
      io.vertx.core.AsyncResult<ServiceReply> outcome = attempt.transform(done -> Future.succeededFuture(done)).await();
      if (outcome.succeeded()) {
        created++;
      } else {
        assertEquals(409, ((ApiException) outcome.cause()).status());
      }
    }
    assertEquals(1, created);
    assertEquals(1L, harness.count(ChannelStore.CHANNELS, new JsonObject().put("name_lower", "race")));
  }

  @Test
  @DisplayName("description is optional, must be text and at most 500 characters")
  void descriptionRules() {
    assertEquals("", create(new JsonObject().put("name", "nodesc")).getString("description"));
    create(new JsonObject().put("name", "longdesc").put("description", "d".repeat(500)));
    harness.fails(400, null, "createChannel", ALICE, new JsonObject(),
        new JsonObject().put("name", "toolong").put("description", "d".repeat(501)));
    harness.fails(400, null, "createChannel", ALICE, new JsonObject(),
        new JsonObject().put("name", "numdesc").put("description", 5));
  }

  @Test
  @DisplayName("a type other than public or private is refused with 400")
  void typeRules() {
    for (Object type : new Object[] {"secret", "dm", "PUBLIC", 1}) {
      harness.fails(400, null, "createChannel", ALICE, new JsonObject(),
          new JsonObject().put("name", "typed").put("type", type));
    }
  }

  @Test
  @DisplayName("an anonymous caller cannot create a channel")
  void anonymousRefused() {
    harness.fails(401, null, "createChannel", null, new JsonObject(), new JsonObject().put("name", "anon"));
  }

  @Test
  @DisplayName("creating a channel announces the creator's membership so caches elsewhere invalidate")
  void creationAnnouncesMembership() {
    ChannelsHarness.Recorder changes = harness.listen(Addresses.MEMBERSHIP_CHANGED);
    String id = create(new JsonObject().put("name", "announced")).getString("id");
    changes.await(event -> id.equals(event.getString("channel_id")) && ALICE.id().equals(event.getString("user_id"))
        && "joined".equals(event.getString("change")));
  }
}
