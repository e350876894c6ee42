package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static com.connectbest.chat.channels.ChannelsHarness.CAROL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ListMyChannelsTest {

  private ChannelsHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new ChannelsHarness(vertx).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private List<JsonObject> mine(Principal caller) {
    return harness.ok("listMyChannels", caller, new JsonObject(), null).getJsonArray("channels").stream()
        .map(JsonObject.class::cast).toList();
  }

  @Test
  @DisplayName("my channels come with my role and the messages service's last message and unread count")
  void listsWithActivity() {
    String design = harness.create(ALICE, "design", null);
    String hidden = harness.create(BOB, "hidden", "private");
    harness.add(BOB, hidden, ALICE.id());
    harness.create(CAROL, "elsewhere", null);
    harness.dm(ALICE, BOB);
    harness.activity.put(design, new JsonObject().put("last_message", "Hey everyone!")
        .put("last_message_at", "2025-01-15T10:30:00Z").put("unread_count", 5));

    int callsBefore = harness.activityRequests.size();
    List<JsonObject> channels = mine(ALICE);
    assertEquals(callsBefore + 1, harness.activityRequests.size(), "one call to the messages service");
    assertEquals(List.of("design", "hidden"), channels.stream().map(c -> c.getString("name")).toList());

    JsonObject first = channels.get(0);
    assertEquals(design, first.getString("id"));
    assertEquals("public", first.getString("type"));
    assertEquals(ALICE.id(), first.getString("created_by"));
    assertEquals("admin", first.getString("member_role"));
    assertEquals("Hey everyone!", first.getString("last_message"));
    assertEquals("2025-01-15T10:30:00Z", first.getString("last_message_at"));
    assertEquals(5L, first.getLong("unreadCount"));

    JsonObject second = channels.get(1);
    assertEquals("member", second.getString("member_role"));
    assertNull(second.getString("last_message"));
    assertNull(second.getString("last_message_at"));
    assertEquals(0L, second.getLong("unreadCount"));
  }

  @Test
  @DisplayName("the messages service is told who asks and where each channel was last read")
  void passesReadPositions() {
    String design = harness.create(ALICE, "design", null);
    String ops = harness.create(ALICE, "ops", null);
    String readAt = harness.markRead(ALICE, design);
    mine(ALICE);
    JsonObject request = harness.activityRequests.get(harness.activityRequests.size() - 1);
    assertEquals(ALICE.id(), request.getString("user_id"));
    Map<String, Object> lastRead = request.getJsonArray("channels").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("channel_id"),
            c -> c.getValue("last_read_at") == null ? "never" : c.getValue("last_read_at")));
    assertEquals(Map.of(design, readAt, ops, "never"), lastRead);
  }

  @Test
  @DisplayName("without channels the list is empty")
  void emptyList() {
    assertEquals(List.of(), mine(BOB));
    harness.create(ALICE, "notmine", null);
    assertEquals(List.of(), mine(BOB));
  }

  @Test
  @DisplayName("when the messages service is unavailable the request fails with 503 instead of inventing numbers")
  void messagesUnavailable() {
    harness.create(ALICE, "design", null);
    harness.stopMessagesService();
    harness.fails(503, null, "listMyChannels", ALICE, new JsonObject(), null);
  }

  @Test
  @DisplayName("a channel I left disappears from my list")
  void leftChannelDisappears() {
    String id = harness.create(BOB, "temp", null);
    harness.join(ALICE, id);
    assertEquals(1, mine(ALICE).size());
    harness.ok("removeChannelMember", ALICE, ChannelsHarness.memberPath(id, ALICE.id()), null);
    assertEquals(new JsonArray().getList(), mine(ALICE));
  }

  @Test
  @DisplayName("channels are kept out of lists in memory exactly as the store's query keeps them out")
  void ordinaryAsTheStoreSays() {
    List<JsonObject> docs = new java.util.ArrayList<>();
    int n = 0;
    for (Object deleted : java.util.Arrays.asList(null, true, false, 1, "true")) {
      for (Object type : java.util.Arrays.asList(null, "public", "private", "dm", "DM")) {
        // Names are strings (the API stores nothing else). A number as a name is left out: MongoDB's $regex skips
        // it, as isOrdinary does, while the embedded server's matcher reads it as text.
        for (Object name : java.util.Arrays.asList(null, "team", "dm_a_b", "DM_x", "xdm_", "")) {
          JsonObject doc = new JsonObject().put("_id", new JsonObject().put("$oid", String.format("65b0%020d", n++)));
          if (deleted != null) {
            doc.put("is_deleted", deleted);
          }
          if (type != null) {
            doc.put("type", type);
          }
          if (name != null) {
            doc.put("name", name);
          }
          docs.add(doc);
        }
      }
    }
    harness.mongo.bulkWrite("ordinary_check", docs.stream().map(io.vertx.ext.mongo.BulkOperation::createInsert)
        .toList()).await();
    java.util.Set<String> byStore = harness.mongo.find("ordinary_check", ChannelStore.ORDINARY.copy()).await()
        .stream().map(com.connectbest.chat.common.MongoDocs::id).collect(Collectors.toSet());
    java.util.Set<String> inMemory = harness.mongo.find("ordinary_check", new JsonObject()).await().stream()
        .filter(ChannelStore::isOrdinary).map(com.connectbest.chat.common.MongoDocs::id).collect(Collectors.toSet());
    assertEquals(byStore, inMemory);
    assertEquals(true, byStore.size() > 10);
  }

  @Test
  @DisplayName("two members listing the same cached channel at once each see their own role and unread count")
  void sharedChannelsKeepEachCallersFigures() {
    String design = harness.create(ALICE, "design", null);
    harness.add(ALICE, design, BOB.id());
    harness.activity.put(design, new JsonObject().put("unread_count", 3));
    mine(ALICE); // the channel is now cached
    for (int round = 0; round < 5; round++) {
      // Both lists are in flight together: each answer holds its own copy of the channel's shared view.
      var alices = harness.send("listMyChannels", ALICE, new JsonObject(), null);
      var bobs = harness.send("listMyChannels", BOB, new JsonObject(), null);
      JsonObject alice = only(alices.await().body(), design);
      JsonObject bob = only(bobs.await().body(), design);
      assertEquals("admin", alice.getString("member_role"));
      assertEquals("member", bob.getString("member_role"));
      assertEquals("design", bob.getString("name"));
    }
  }

  private static JsonObject only(Object body, String channelId) {
    return ((JsonObject) body).getJsonArray("channels").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(channelId)).findFirst().orElseThrow();
  }
}
