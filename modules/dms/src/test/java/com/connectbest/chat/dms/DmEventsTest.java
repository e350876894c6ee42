package com.connectbest.chat.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DmEventsTest {

  @Test
  @DisplayName("a DM's live event carries no viewer state of the sender: no bookmark, no file link signed for them")
  void eventViewIsUnpersonalised() {
    String file = "http://localhost:5001/api/files/messages/123e4567-e89b-12d3-a456-426614174000.png";
    JsonObject sendersView = new JsonObject().put("id", "m1").put("bookmarked", true)
        .put("bookmarked_by_users", new JsonArray().add("sender"))
        .put("attachments", new JsonArray()
            .add(new JsonObject().put("name", "a.png").put("url", file + "?viewer=sender&expires=1&signature=x"))
            .add(new JsonObject().put("name", "b").put("url", "https://elsewhere.example/b?x=1")));
    JsonObject event = DmEvents.withoutViewerState(sendersView);
    assertFalse(event.getBoolean("bookmarked"));
    assertEquals(new JsonArray(), event.getJsonArray("bookmarked_by_users"));
    assertEquals(file, event.getJsonArray("attachments").getJsonObject(0).getString("url"));
    assertEquals("https://elsewhere.example/b?x=1", event.getJsonArray("attachments").getJsonObject(1).getString("url"));
    assertEquals(true, sendersView.getBoolean("bookmarked"), "the sender's answer is left as it is");
  }
}
