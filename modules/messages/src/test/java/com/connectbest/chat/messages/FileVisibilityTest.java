package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FileVisibilityTest extends MessagesTestBase {

  private static String newKey(String extension) {
    return "messages/" + UUID.randomUUID() + "." + extension;
  }

  private JsonObject attach(Principal author, String channelId, JsonObject attachment) {
    ServiceReply reply = request("sendMessage", author, channelPath(channelId), null,
        new JsonObject().put("content", "see attached").put("attachments", new JsonArray().add(attachment))).await();
    assertEquals(201, reply.status());
    return ((JsonObject) reply.body()).getJsonObject("message");
  }

  private boolean visible(String key, Principal user, Principal owner) {
    JsonObject body = new JsonObject().put("key", key).put("user_id", user.id());
    if (owner != null) {
      body.put("owner_id", owner.id());
    }
    return client.call(com.connectbest.chat.common.Addresses.MESSAGES, InternalActions.FILE_VISIBILITY, body).await()
        .getBoolean("visible");
  }

  @Test
  @DisplayName("a file attached by key is visible to the channel's members and to nobody else")
  void byKey() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal eve = user("Eve");
    String team = channel(ann, bob);
    channel(eve);
    String key = newKey("pdf");
    attach(ann, team, new JsonObject().put("name", "plan.pdf").put("url", "/api/files/" + key).put("key", key));

    assertTrue(visible(key, bob, ann));
    assertTrue(visible(key, ann, ann));
    assertFalse(visible(key, eve, ann), "not a member");
    assertFalse(visible(newKey("pdf"), bob, ann), "another file");
  }

  @Test
  @DisplayName("a file attached only by URL counts when the URL ends in /api/files/<key>, and only then")
  void byUrl() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String team = channel(ann, bob);
    String key = newKey("png");
    attach(ann, team, new JsonObject().put("name", "cat.png").put("url", "https://chat.example.com/api/files/" + key));
    assertTrue(visible(key, bob, ann));

    String other = newKey("png");
    attach(ann, team, new JsonObject().put("name", "x").put("url", "https://chat.example.com/api/files/" + other + "x"));
    attach(ann, team, new JsonObject().put("name", "y").put("url",
        "https://chat.example.com/api/files/" + other.replace(".png", "Xpng")));
    assertFalse(visible(other, bob, ann), "no look-alike URL matches");
  }

  @Test
  @DisplayName("messages stored before file keys were indexed get their keys once at start, and then count")
  void legacyMessagesAreBackfilled() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String team = channel(ann, bob);
    String key = newKey("png");
    io.vertx.ext.mongo.MongoClient mongo = io.vertx.ext.mongo.MongoClient.create(vertx, mongoConfig);
    mongo.insert(MessageStore.MESSAGES, new JsonObject().put("channel_id", team).put("user_id", ann.id())
        .put("content", "old").put("parent_message_id", null).put("is_deleted", false)
        .put("attachments", new JsonArray().add(new JsonObject().put("name", "a.png").put("url", "/api/files/" + key))))
        .await();
    mongo.removeDocument("schema_migrations", new JsonObject()).await();
    assertFalse(visible(key, bob, ann), "a legacy message has no file keys yet");

    MessageStore store = new MessageStore(mongo);
    store.backfillFileKeys().await();
    assertTrue(visible(key, bob, ann));
    mongo.updateCollection(MessageStore.MESSAGES, new JsonObject().put("content", "old"),
        new JsonObject().put("$unset", new JsonObject().put(MessageStore.FILE_KEYS, ""))).await();
    store.backfillFileKeys().await();
    assertFalse(visible(key, bob, ann), "the migration ran once: it is recorded and not repeated");
    mongo.close();
  }

  @Test
  @DisplayName("deleting the message, or leaving the channel, takes the file away")
  void deletedOrLeft() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String team = channel(ann, bob);
    String key = newKey("zip");
    JsonObject message = attach(ann, team, new JsonObject().put("name", "a.zip").put("url", "/api/files/" + key)
        .put("key", key));
    assertTrue(visible(key, bob, ann));
    channels.remove(team, bob.id(), true);
    assertFalse(visible(key, bob, ann), "left the channel");
    channels.add(team, bob.id());
    assertTrue(visible(key, bob, ann));
    delete(ann, message.getString("id"));
    assertFalse(visible(key, bob, ann), "message deleted");
  }

  @Test
  @DisplayName("knowing a key is not enough: someone else re-posting it in their channel grants nothing")
  void repostByOthersDoesNotCount() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    Principal mallory = user("Mallory");
    String annsRoom = channel(ann);
    String evesRoom = channel(eve, mallory);
    String key = newKey("pdf");
    attach(ann, annsRoom, new JsonObject().put("name", "secret.pdf").put("url", "/api/files/" + key).put("key", key));
    attach(eve, evesRoom, new JsonObject().put("name", "secret.pdf").put("url", "/api/files/" + key).put("key", key));

    assertFalse(visible(key, eve, ann));
    assertFalse(visible(key, mallory, ann));
    assertTrue(visible(key, ann, ann));
    assertTrue(visible(key, mallory, null), "without owner_id every carrying message counts");
  }

  @Test
  @DisplayName("a malformed key or user id is a 400, never a regex")
  void malformed() {
    Principal ann = user("Ann");
    for (String key : new String[] {"messages/.*", "../etc/passwd", "messages/" + UUID.randomUUID() + ".p.f"}) {
      assertEquals(400, failure(InternalActions.FILE_VISIBILITY, null, null, null,
          new JsonObject().put("key", key).put("user_id", ann.id())).status(), key);
    }
    assertEquals(400, failure(InternalActions.FILE_VISIBILITY, null, null, null,
        new JsonObject().put("key", newKey("pdf")).put("user_id", "nobody")).status());
  }
}
