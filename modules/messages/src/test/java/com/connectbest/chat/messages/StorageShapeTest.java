package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What lands in MongoDB: the documented document shapes, and nothing left of deleted content. */
class StorageShapeTest extends MessagesTestBase {

  private MongoClient mongo;

  @BeforeEach
  void connect() {
    mongo = MongoClient.create(vertx, mongoConfig);
  }

  @AfterEach
  void disconnect() {
    mongo.close().await();
  }

  @Test
  @DisplayName("a message is stored with string channel and user ids, a string parent id, BSON dates and flags")
  void messageShape() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String rootId = send(ann, general, "root").getString("id");
    String replyId = reply(ann, rootId, "reply").getString("id");

    JsonObject root = mongo.findOne("messages", MongoDocs.byId(rootId), null).await();
    JsonObject reply = mongo.findOne("messages", MongoDocs.byId(replyId), null).await();
    assertEquals(general, root.getString("channel_id"));
    assertEquals(ann.id(), root.getString("user_id"));
    assertNull(root.getValue("parent_message_id"));
    assertEquals(rootId, reply.getString("parent_message_id"));
    assertEquals(1, root.getInteger("reply_count"));
    assertFalse(root.getBoolean("is_deleted"));
    assertFalse(root.getBoolean("is_pinned"));
    assertTrue(root.getValue("created_at") instanceof JsonObject date && date.containsKey("$date"), root.encode());
    assertEquals(1L, mongo.count("messages", new JsonObject().put("channel_id", general)
        .put("created_at", new JsonObject().put("$lte", MongoDocs.date(Instant.now().plusSeconds(1))))
        .put("parent_message_id", null)).await());
  }

  @Test
  @DisplayName("a deleted message keeps its place but its content and attachments are erased from storage")
  void deletionErases() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject file = new JsonObject().put("name", "a.png").put("url", "/api/files/messages/a.png");
    String id = ((JsonObject) request("sendMessage", ann, channelPath(general), null,
        text("secret").put("attachments", new JsonArray().add(file))).await().body())
        .getJsonObject("message").getString("id");
    delete(ann, id);
    JsonObject stored = mongo.findOne("messages", MongoDocs.byId(id), null).await();
    assertTrue(stored.getBoolean("is_deleted"));
    assertNull(stored.getValue("content"));
    assertEquals(new JsonArray(), stored.getJsonArray("attachments"));
    assertEquals(ann.id(), stored.getString("deleted_by"));
    assertFalse(stored.encode().contains("secret"));
  }

  @Test
  @DisplayName("reactions and bookmarks are one document per user, message (and emoji), with string ids")
  void reactionAndBookmarkShape() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String id = send(ann, general, "hi").getString("id");
    JsonObject path = channelPath(general).put("messageId", id);
    ok("addReaction", ann, path, null, new JsonObject().put("emoji", "👍"));
    ok("addReaction", ann, path, null, new JsonObject().put("emoji", "👍"));
    ok("toggleBookmark", ann, messagePath(id), null, null);
    JsonObject reaction = mongo.findOne("message_reactions", new JsonObject(), null).await();
    assertEquals(id, reaction.getString("message_id"));
    assertEquals(ann.id(), reaction.getString("user_id"));
    assertEquals("👍", reaction.getString("emoji"));
    assertEquals(1L, mongo.count("message_reactions", new JsonObject()).await());
    JsonObject bookmark = mongo.findOne("bookmarks", new JsonObject(), null).await();
    assertEquals(id, bookmark.getString("message_id"));
    assertEquals(ann.id(), bookmark.getString("user_id"));
  }

  @Test
  @DisplayName("an earlier version's full thread, pin and file indexes are replaced by partial ones at start, once")
  void fullIndexesBecomePartial() {
    stopService();
    for (MessageStore.PartialIndex index : MessageStore.PARTIAL_INDEXES) {
      mongo.dropIndex("messages", index.name()).await();
      mongo.createIndex("messages", index.keys()).await(); // as the earlier version declared it
    }
    assertEquals(java.util.Map.of(), partialFilters(), "the earlier version's indexes have no filter");
    startService(new JsonObject());
    java.util.Map<String, JsonObject> expected = new java.util.TreeMap<>();
    MessageStore.PARTIAL_INDEXES.forEach(index -> expected.put(index.name(), index.filter()));
    assertEquals(expected, partialFilters());
    redeploy();
    assertEquals(expected, partialFilters(), "a second start keeps them");
    assertEquals(4 + MessageStore.PARTIAL_INDEXES.size(), mongo.listIndexes("messages").await().size(),
        "_id, channel pages, resume, client keys and the partial ones: nothing dropped or doubled");
  }

  private java.util.Map<String, JsonObject> partialFilters() {
    java.util.Map<String, JsonObject> filters = new java.util.TreeMap<>();
    mongo.listIndexes("messages").await().stream().map(JsonObject.class::cast)
        .filter(index -> index.containsKey("partialFilterExpression"))
        .forEach(index -> filters.put(index.getString("name"), index.getJsonObject("partialFilterExpression")));
    return filters;
  }
}
