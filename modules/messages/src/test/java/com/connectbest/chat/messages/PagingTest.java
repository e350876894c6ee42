package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Lists that used to stop silently at a size now page, or say that they stopped. */
class PagingTest extends MessagesTestBase {

  @Test
  @DisplayName("thread replies page with limit and after, and say whether newer replies follow")
  void repliesPage() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String root = send(ann, general, "root").getString("id");
    for (int i = 1; i <= 3; i++) {
      reply(ann, root, "r" + i);
    }
    JsonObject first = ok("listReplies", ann, messagePath(root), new JsonObject().put("limit", "2"), null);
    List<JsonObject> replies = objects(first.getJsonArray("replies"));
    assertEquals(List.of("r1", "r2"), contents(replies));
    assertTrue(first.getBoolean("has_more"));
    JsonObject rest = ok("listReplies", ann, messagePath(root),
        new JsonObject().put("limit", "2").put("after", replies.get(1).getString("id")), null);
    assertEquals(List.of("r3"), contents(objects(rest.getJsonArray("replies"))));
    assertFalse(rest.getBoolean("has_more"));
    assertFalse(ok("listReplies", ann, messagePath(root), null, null).getBoolean("has_more"));
    assertFailure(failure("listReplies", ann, messagePath(root), new JsonObject().put("after", "x"), null), 400, null);
  }

  @Test
  @DisplayName("pins show the 100 most recently pinned and say when there are more")
  void pinsSayWhenCut() {
    Principal ann = user("Ann");
    String general = channel(ann);
    for (int i = 0; i <= PinService.MAX_PINS; i++) {
      String id = send(ann, general, "m" + i).getString("id");
      ok("pinMessage", ann, messagePath(id), null, null);
    }
    JsonObject pins = ok("listPinnedMessages", ann, channelPath(general), null, null);
    assertEquals(PinService.MAX_PINS, pins.getJsonArray("messages").size());
    assertTrue(pins.getBoolean("has_more"));
    assertEquals("m" + PinService.MAX_PINS, pins.getJsonArray("messages").getJsonObject(0).getString("content"));
  }

  @Test
  @DisplayName("a file carried by more messages than one batch is still found in the channel that may read it")
  void fileVisibilityLooksPastOneBatch() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String key = "messages/" + UUID.randomUUID() + ".png";
    JsonObject attachment = new JsonObject().put("name", "cat.png").put("url", "/api/files/" + key).put("key", key);
    for (int i = 0; i < FileVisibility.BATCH; i++) {
      String elsewhere = channel(ann);
      request("sendMessage", ann, channelPath(elsewhere), null,
          new JsonObject().put("content", "x").put("attachments", new JsonArray().add(attachment))).await();
    }
    String shared = channel(ann, bob);
    request("sendMessage", ann, channelPath(shared), null,
        new JsonObject().put("content", "x").put("attachments", new JsonArray().add(attachment))).await();
    assertTrue(client.call(Addresses.MESSAGES, InternalActions.FILE_VISIBILITY, new JsonObject().put("key", key)
        .put("user_id", bob.id()).put("owner_id", ann.id())).await().getBoolean("visible"));
  }
}
