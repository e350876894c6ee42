package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActivityTest extends MessagesTestBase {

  private JsonObject internal(String action, JsonObject payload) {
    return client.call(com.connectbest.chat.common.Addresses.MESSAGES, action, payload).await();
  }

  private static JsonObject read(String channelId, Instant lastReadAt) {
    return new JsonObject().put("channel_id", channelId).put("last_read_at",
        lastReadAt == null ? null : lastReadAt.toString());
  }

  @Test
  @DisplayName("channelActivity: last top-level message and unread count of others' live messages since last read")
  void channelActivity() throws InterruptedException {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String random = channel(ann, bob);
    String quiet = channel(ann, bob);
    String dm = "dm_" + ann.id() + "_" + bob.id();
    channels.create(dm, "dm", ann.id(), bob.id());

    send(bob, general, "old news");
    JsonObject seen = send(bob, general, "seen");
    Instant readAt = Instant.parse(seen.getString("created_at"));
    Thread.sleep(5);
    send(bob, general, "new 1");
    JsonObject root = send(ann, general, "mine does not count");
    reply(bob, root.getString("id"), "replies do not count");
    String gone = send(bob, general, "deleted does not count").getString("id");
    delete(bob, gone);
    send(bob, general, "new 2");

    send(bob, random, "r1");
    String lastRandom = send(bob, random, "r2 deleted").getString("id");
    delete(bob, lastRandom);
    send(bob, dm, "dm 1");

    JsonObject activity = internal(InternalActions.CHANNEL_ACTIVITY, new JsonObject().put("user_id", ann.id())
        .put("channels", new JsonArray().add(read(general, readAt)).add(read(random, null)).add(read(quiet, null))
            .add(read(dm, readAt.minusSeconds(3600))))).getJsonObject("activity");

    JsonObject g = activity.getJsonObject(general);
    assertEquals("new 2", g.getString("last_message"));
    assertEquals(2, g.getInteger("unread_count"));
    JsonObject r = activity.getJsonObject(random);
    assertNull(r.getValue("last_message"), "the last message was deleted");
    assertEquals(1, r.getInteger("unread_count"));
    JsonObject q = activity.getJsonObject(quiet);
    assertNull(q.getValue("last_message"));
    assertNull(q.getValue("last_message_at"));
    assertEquals(0, q.getInteger("unread_count"));
    JsonObject d = activity.getJsonObject(dm);
    assertEquals("dm 1", d.getString("last_message"));
    assertEquals(1, d.getInteger("unread_count"));
    assertEquals(4, activity.size());

    JsonObject forBob = internal(InternalActions.CHANNEL_ACTIVITY, new JsonObject().put("user_id", bob.id())
        .put("channels", new JsonArray().add(read(general, null)))).getJsonObject("activity");
    assertEquals(1, forBob.getJsonObject(general).getInteger("unread_count"));
    assertEquals(Instant.parse(forBob.getJsonObject(general).getString("last_message_at")),
        Instant.parse(g.getString("last_message_at")));
  }

  @Test
  @DisplayName("channelActivity needs a valid user id, and answers an empty map for no channels")
  void channelActivityInput() {
    assertEquals(new JsonObject(), internal(InternalActions.CHANNEL_ACTIVITY, new JsonObject()
        .put("user_id", new ObjectId().toHexString())).getJsonObject("activity"));
    try {
      internal(InternalActions.CHANNEL_ACTIVITY, new JsonObject().put("user_id", "x"));
      throw new AssertionError("accepted a malformed user id");
    } catch (com.connectbest.chat.common.ApiException e) {
      assertEquals(400, e.status());
    }
  }

  @Test
  @DisplayName("countMessages counts messages that are not deleted")
  void countMessages() {
    Principal ann = user("Ann");
    String general = channel(ann);
    assertEquals(0L, internal(InternalActions.COUNT_MESSAGES, new JsonObject()).getLong("count"));
    send(ann, general, "one");
    String two = send(ann, general, "two").getString("id");
    reply(ann, two, "three");
    delete(ann, two);
    assertEquals(2L, internal(InternalActions.COUNT_MESSAGES, new JsonObject()).getLong("count"));
  }

  @Test
  @DisplayName("an unknown action is answered 501")
  void unknownAction() {
    try {
      client.send(com.connectbest.chat.common.Addresses.MESSAGES,
          ServiceRequest.internal("noSuchAction", new JsonObject())).await();
      throw new AssertionError("unknown action accepted");
    } catch (com.connectbest.chat.common.ApiException e) {
      assertEquals(501, e.status());
    }
  }
}
