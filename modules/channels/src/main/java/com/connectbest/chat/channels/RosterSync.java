package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Roster} equal to the store: loads both collections at start, applies this instance's writes at
 * once and publishes them on {@link Addresses#ROSTER_CHANGED} for the other channels instances, and reloads
 * everything after a write whose outcome is unknown (a store outage). Changes that arrive during a load are
 * replayed on top of it, so none is lost to the swap.
 */
final class RosterSync {

  private static final Logger LOG = LoggerFactory.getLogger(RosterSync.class);
  static final String JOINED = "joined";
  static final String LEFT = "left";
  static final String READ = "read";
  private static final long FIRST_RETRY_MS = 500;
  private static final long LAST_RETRY_MS = 10_000;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Roster roster;
  private final String origin = UUID.randomUUID().toString();
  private List<JsonObject> duringLoad;
  private boolean reloadPending;

  RosterSync(Vertx vertx, MongoClient mongo, Roster roster) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.roster = roster;
  }

  Future<Void> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.ROSTER_CHANGED, message -> {
      if (message.body() != null && !origin.equals(message.body().getString("origin"))) {
        apply(message.body());
      }
    }).completion().compose(v -> reload());
  }

  void joined(JsonObject member) {
    record(new JsonObject().put("op", JOINED).put("channel_id", member.getString("channel_id"))
        .put("user_id", member.getString("user_id")).put("role", member.getString("role"))
        .put("joined_at", member.getValue("joined_at")));
  }

  void left(String channelId, String userId) {
    record(new JsonObject().put("op", LEFT).put("channel_id", channelId).put("user_id", userId));
  }

  void read(String channelId, String userId, Instant at) {
    record(new JsonObject().put("op", READ).put("channel_id", channelId).put("user_id", userId)
        .put("last_read_at", MongoDocs.date(at)));
  }

  /** After a failed write the store may or may not hold it: reload once the store answers again. */
  void reloadSoon() {
    if (!reloadPending) {
      reloadPending = true;
      retryLoad(FIRST_RETRY_MS);
    }
  }

  private void retryLoad(long delayMs) {
    vertx.setTimer(delayMs, id -> {
      if (duringLoad != null) {
        retryLoad(delayMs);
        return;
      }
      reload().onSuccess(v -> reloadPending = false)
          .onFailure(err -> retryLoad(Math.min(LAST_RETRY_MS, delayMs * 2)));
    });
  }

  private void record(JsonObject change) {
    apply(change);
    vertx.eventBus().publish(Addresses.ROSTER_CHANGED, change.copy().put("origin", origin));
  }

  private void apply(JsonObject change) {
    if (duringLoad != null) {
      duringLoad.add(change);
    }
    applyTo(roster, change);
  }

  private static void applyTo(Roster target, JsonObject change) {
    String channelId = change.getString("channel_id");
    String userId = change.getString("user_id");
    switch (change.getString("op", "")) {
      case JOINED -> target.putMember(change);
      case LEFT -> target.removeMember(channelId, userId);
      case READ -> target.putRead(channelId, userId, MongoDocs.instant(change.getValue("last_read_at")));
      default -> LOG.debug("Ignoring roster change {}", change.getString("op"));
    }
  }

  /** Reads both collections into a fresh roster and swaps it in, with the changes made meanwhile replayed on top. */
  Future<Void> reload() {
    Roster fresh = new Roster();
    List<JsonObject> changes = new ArrayList<>();
    duringLoad = changes;
    return each(MembershipStore.MEMBERS, fresh::putMember)
        .compose(v -> each(ReadStateStore.READS, fresh::putReadDoc))
        .onComplete(done -> duringLoad = null)
        .map(v -> {
          fresh.sortByJoining();
          changes.forEach(change -> applyTo(fresh, change));
          roster.replaceWith(fresh);
          return (Void) null;
        })
        .onFailure(err -> LOG.warn("Could not load channel memberships: {}", err.getMessage()));
  }

  private Future<Void> each(String collection, Consumer<JsonObject> sink) {
    Promise<Void> done = Promise.promise();
    ReadStream<JsonObject> docs = mongo.findBatch(collection, new JsonObject());
    docs.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete()).handler(sink::accept);
    return done.future();
  }
}
