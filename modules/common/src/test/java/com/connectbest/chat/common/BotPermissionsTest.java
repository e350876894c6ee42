package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BotPermissionsTest {

  private static final String CHANNEL = "507f1f77bcf86cd799439011";

  @Test
  @DisplayName("permissions parse, round-trip and decide; bad ones are a 400 naming the field, unreadable stored ones the default")
  void permissions() {
    BotPermissions parsed = BotPermissions.parse(new JsonObject()
        .put("actions", new JsonArray().add("sendDirectMessage").add("reply").add("reply"))
        .put("hear_channels", new JsonArray().add(CHANNEL.toUpperCase()).add(CHANNEL)));
    assertTrue(parsed.mayTake("reply"));
    assertFalse(parsed.mayTake("sendMessage"));
    assertTrue(parsed.mayHear(CHANNEL));
    assertFalse(parsed.mayHear("507f1f77bcf86cd799439012"));
    assertEquals(new JsonObject().put("actions", new JsonArray().add("reply").add("sendDirectMessage"))
        .put("hear_channels", new JsonArray().add(CHANNEL)), parsed.toJson());
    assertEquals(parsed, BotPermissions.fromJson(parsed.toJson()));

    assertTrue(BotPermissions.DEFAULT.mayHear(CHANNEL), "null hear_channels: every member channel");
    assertFalse(BotPermissions.DEFAULT.mayTake(BotPermissions.SEND_DIRECT_MESSAGE));
    assertEquals(BotPermissions.DEFAULT, BotPermissions.fromJson(null));
    assertEquals(BotPermissions.DEFAULT, BotPermissions.fromJson(new JsonObject().put("actions", "all")));

    for (JsonObject bad : new JsonObject[] {new JsonObject(), new JsonObject().put("actions", "sendMessage"),
        new JsonObject().put("actions", new JsonArray().add("deleteEverything")),
        new JsonObject().put("actions", new JsonArray().add(1)),
        new JsonObject().put("actions", new JsonArray()).put("hear_channels", "all"),
        new JsonObject().put("actions", new JsonArray()).put("hear_channels", new JsonArray().add("general"))}) {
      ApiException refused = assertThrows(ApiException.class, () -> BotPermissions.parse(bad), bad.encode());
      assertEquals(400, refused.status());
      assertTrue(((JsonObject) refused.details()).getString("field").startsWith("permissions."), bad.encode());
    }
  }
}
