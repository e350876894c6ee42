package com.connectbest.chat.channels;

import static com.connectbest.chat.channels.ChannelsHarness.ALICE;
import static com.connectbest.chat.channels.ChannelsHarness.BOB;
import static com.connectbest.chat.channels.ChannelsHarness.CAROL;
import static com.connectbest.chat.channels.ChannelsHarness.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Membership questions are answered by the store, so no channels instance can disagree with it. */
@ExtendWith(VertxExtension.class)
class StoreAnswersTest {

  private ChannelsHarness harness;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    harness = new ChannelsHarness(vertx).deploy();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private boolean member(String channelId, String userId) {
    return harness.internal(InternalActions.CHECK_ACCESS,
        new JsonObject().put("channel_id", channelId).put("user_id", userId)).getBoolean("member");
  }

  @Test
  @DisplayName("a membership written to or removed from the store without any event is answered at once")
  void storeWritesWithoutEvents() {
    String id = harness.create(ALICE, "team", null);
    harness.mongo.insert(MembershipStore.MEMBERS, new JsonObject().put("channel_id", id).put("user_id", CAROL.id())
        .put("role", "member").put("joined_at", MongoDocs.date(Instant.now()))).await();
    assertTrue(member(id, CAROL.id()));
    harness.mongo.removeDocuments(MembershipStore.MEMBERS, new JsonObject().put("user_id", ALICE.id())).await();
    assertFalse(member(id, ALICE.id()));
  }

  @Test
  @DisplayName("two channels instances on one store agree right after joins and leaves made through either")
  void twoInstancesAgree() {
    JsonObject config = new JsonObject().put("MONGODB_URI", harness.uri()).put("MONGODB_DB_NAME", "chat")
        .put("SERVICE_TIMEOUT_MS", 2_000);
    vertx.deployVerticle(new ChannelsVerticle(), new DeploymentOptions().setConfig(config)).await();
    String id = harness.create(ALICE, "team", null);
    for (int round = 0; round < 5; round++) {
      harness.join(BOB, id);
      for (int ask = 0; ask < 4; ask++) {
        assertTrue(member(id, BOB.id()), "round " + round + ", ask " + ask + ": joined");
      }
      harness.ok("removeChannelMember", BOB, memberPath(id, BOB.id()), null);
      for (int ask = 0; ask < 4; ask++) {
        assertFalse(member(id, BOB.id()), "round " + round + ", ask " + ask + ": left");
      }
    }
    assertEquals(1, harness.internal(InternalActions.CHANNEL_READ_STATES, new JsonObject().put("channel_id", id))
        .getJsonArray("reads").size());
  }
}
