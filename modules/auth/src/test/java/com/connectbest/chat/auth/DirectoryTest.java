package com.connectbest.chat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.Set;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The user directory pages instead of stopping at a size, and lookups refuse what they would otherwise cut. */
@ExtendWith(VertxExtension.class)
class DirectoryTest {

  private TwoFactorHarness harness;

  @BeforeEach
  void start(Vertx vertx) {
    harness = new TwoFactorHarness(vertx);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  @DisplayName("the directory pages with limit and cursor, each user once, and says whether more follow")
  void directoryPages() {
    Principal ann = harness.register("ann.dir@example.com");
    harness.register("bob.dir@example.com");
    harness.register("cy.dir@example.com");
    Set<String> seen = new HashSet<>();
    JsonObject first = harness.ok(200, "listUsers", ann, new JsonObject().put("limit", "2"), null);
    assertEquals(2, first.getJsonArray("users").size());
    assertTrue(first.getBoolean("has_more"));
    assertEquals(3L, first.getLong("total"));
    first.getJsonArray("users").forEach(u -> seen.add(((JsonObject) u).getString("email")));
    JsonObject second = harness.ok(200, "listUsers", ann, new JsonObject().put("limit", "2")
        .put("cursor", first.getString("next_cursor")), null);
    second.getJsonArray("users").forEach(u -> seen.add(((JsonObject) u).getString("email")));
    assertEquals(1, second.getJsonArray("users").size());
    assertFalse(second.getBoolean("has_more"));
    assertNull(second.getValue("next_cursor"));
    assertEquals(3, seen.size());
    JsonObject whole = harness.ok(200, "listUsers", ann, null, null);
    assertEquals(3, whole.getJsonArray("users").size());
    assertFalse(whole.getBoolean("has_more"));

    ApiException bad = TwoFactorHarness.failure(harness.send("listUsers", ann, new JsonObject().put("cursor", "%%"), null));
    assertEquals(400, bad.status());
  }

  @Test
  @DisplayName("lookupUsers answers up to 1000 ids and refuses more rather than leaving users out")
  void lookupRefusesWhatItWouldCut() {
    JsonArray ids = new JsonArray();
    for (int i = 0; i < ProfileService.LOOKUP_LIMIT; i++) {
      ids.add(new ObjectId().toHexString());
    }
    harness.ok(InternalActions.LOOKUP_USERS, null, new JsonObject().put("user_ids", ids));
    ids.add(new ObjectId().toHexString());
    ApiException tooMany = TwoFactorHarness.failure(harness.send(InternalActions.LOOKUP_USERS, null, null,
        new JsonObject().put("user_ids", ids)));
    assertEquals(400, tooMany.status());
  }
}
