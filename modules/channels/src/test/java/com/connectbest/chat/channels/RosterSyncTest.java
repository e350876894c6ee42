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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The in-memory roster of memberships and read positions stays equal to the store. */
@ExtendWith(VertxExtension.class)
class RosterSyncTest {

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

  private static JsonObject membershipDoc(String channelId, String userId) {
    return new JsonObject().put("channel_id", channelId).put("user_id", userId).put("role", "member")
        .put("joined_at", MongoDocs.date(Instant.now()));
  }

  @Test
  @DisplayName("memberships and read positions already in the store are served after a restart")
  void loadsAtStart() {
    String id = harness.create(ALICE, "team", null);
    String readAt = harness.markRead(ALICE, id);
    harness.undeploy();
    harness.mongo.insert(MembershipStore.MEMBERS, membershipDoc(id, BOB.id())).await();

    harness.deploy();
    assertTrue(member(id, ALICE.id()));
    assertTrue(member(id, BOB.id()), "written to the store by another process while the service was down");
    JsonObject states = harness.internal(InternalActions.CHANNEL_READ_STATES, new JsonObject().put("channel_id", id));
    assertTrue(states.getJsonArray("reads").stream().map(JsonObject.class::cast)
        .anyMatch(read -> ALICE.id().equals(read.getString("user_id")) && readAt.equals(read.getString("last_read_at"))),
        states.encode());
  }

  @Test
  @DisplayName("a second channels instance follows the joins, leaves and reads made through the first")
  void replicates() {
    Replica replica = new Replica(vertx, harness);
    String id = harness.create(ALICE, "team", null);
    harness.join(BOB, id);
    harness.join(CAROL, id);
    harness.ok("removeChannelMember", CAROL, memberPath(id, CAROL.id()), null);
    String readAt = harness.markRead(BOB, id);

    replica.await(roster -> roster.member(id, BOB.id()) != null && roster.member(id, CAROL.id()) == null
        && Instant.parse(readAt).equals(roster.lastRead(id, BOB.id())));
    assertEquals("admin", replica.read(roster -> roster.member(id, ALICE.id()).getString("role")));
    assertEquals(Integer.valueOf(2), replica.read(roster -> roster.memberCount(id)));
  }

  @Test
  @DisplayName("a membership the roster never heard of is picked up by the reload that follows a failed write")
  void reloads() {
    Replica replica = new Replica(vertx, harness);
    String id = harness.create(ALICE, "team", null);
    harness.mongo.insert(MembershipStore.MEMBERS, membershipDoc(id, CAROL.id())).await();
    assertFalse(member(id, CAROL.id()), "the running service answers from its roster, not from the store");

    replica.run(RosterSync::reloadSoon);
    replica.await(roster -> roster.member(id, CAROL.id()) != null);
  }

  @Test
  @DisplayName("a change made while the roster is being reloaded is not lost when the reloaded copy is swapped in")
  void changesDuringAReloadSurvive() {
    Replica replica = new Replica(vertx, harness);
    String id = harness.create(ALICE, "team", null);
    replica.await(roster -> roster.member(id, ALICE.id()) != null);
    Future<Void> reloaded = replica.call(sync -> {
      Future<Void> reload = sync.reload();
      // recorded after the reload has read nothing yet: the store never sees it, only the replay can keep it
      sync.joined(membershipDoc(id, CAROL.id()));
      sync.left(id, ALICE.id());
      return reload;
    });
    reloaded.await();
    boolean carolJoined = replica.read(roster -> roster.member(id, CAROL.id()) != null);
    boolean aliceLeft = replica.read(roster -> roster.member(id, ALICE.id()) == null);
    assertTrue(carolJoined, "the join made during the reload");
    assertTrue(aliceLeft, "the leave made during the reload");
  }

  /** Another channels instance's roster and sync, on a context of its own like a verticle's. */
  private static final class Replica {
    private final Context context;
    private final Roster roster = new Roster();
    private final RosterSync sync;

    Replica(Vertx vertx, ChannelsHarness harness) {
      context = vertx.getOrCreateContext();
      sync = new RosterSync(vertx, harness.mongo, roster);
      Future.<Void>future(started -> context.runOnContext(v -> sync.start().onComplete(started))).await();
    }

    void run(java.util.function.Consumer<RosterSync> action) {
      Future.<Void>future(done -> context.runOnContext(v -> {
        action.accept(sync);
        done.complete();
      })).await();
    }

    <T> Future<T> call(Function<RosterSync, Future<T>> action) {
      return Future.<Future<T>>future(done -> context.runOnContext(v -> done.complete(action.apply(sync))))
          .await();
    }

    <T> T read(Function<Roster, T> query) {
      return Future.<T>future(done -> context.runOnContext(v -> done.complete(query.apply(roster)))).await();
    }

    void await(Predicate<Roster> condition) {
      long deadline = System.currentTimeMillis() + 5_000;
      while (!read(condition::test)) {
        assertTrue(System.currentTimeMillis() < deadline, "the replica's roster never caught up");
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }
}
