package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a store that has messages but no {@link CounterStore counters} its counters, once per database (recorded in
 * {@code schema_migrations} as {@value #MIGRATION}, like {@link MessageStore#backfillFileKeys}).
 *
 * <p>The backfill claims the record with a cutoff instant and counts what the messages looked like at that instant:
 * top-level messages with an {@code _id} older than the cutoff's second that were not deleted before it. Sends,
 * edits and deletes after the cutoff move the live counters ({@code total}, {@code msg_count}); the backfill only
 * sets the {@code base} fields, so a backfill that was interrupted (its node died: no heartbeat for
 * {@link #STALE}) is redone from the start by any node with the same cutoff and the same result. It reads the
 * messages in {@code _id} order, {@value #BATCH} at a time, off the request path; until it is done, every node
 * answers channel lists by counting ({@link #ready()} false) and read marks leave the member counters to be
 * recounted. The first batch runs before the service starts, so a new or small store is ready at once.
 */
final class CounterBackfill {

  private static final Logger LOG = LoggerFactory.getLogger(CounterBackfill.class);
  static final String MIGRATION = "messages.counters";
  private static final String MIGRATIONS = "schema_migrations";
  static final int BATCH = 1000;
  static final Duration STALE = Duration.ofMinutes(1);
  private static final long POLL_MS = 2_000;

  /** What one channel held at the cutoff. */
  private static final class Tally {
    long count;
    JsonObject last;
    final Map<String, Long> own = new HashMap<>();
  }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final CounterStore counters;
  private volatile boolean ready;

  CounterBackfill(Vertx vertx, MongoClient mongo, CounterStore counters) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.counters = counters;
  }

  /** True once every channel's counters are complete; channel lists may subtract only then. */
  boolean ready() {
    return ready;
  }

  /** Resolves once the counters are ready or a backfill is under way (here, or on another node being waited for). */
  Future<Void> start() {
    JsonObject key = new JsonObject().put("_id", MIGRATION);
    return mongo.findOne(MIGRATIONS, key, null).compose(record -> {
      if (record != null && "done".equals(record.getString("state"))) {
        ready = true;
        return Future.succeededFuture();
      }
      Instant now = Instant.now();
      if (record == null) {
        JsonObject claim = key.copy().put("state", "running").put("cutoff", MongoDocs.date(now))
            .put("heartbeat", MongoDocs.date(now));
        return mongo.insert(MIGRATIONS, claim).compose(id -> run(now))
            .recover(err -> {
              if (MongoDocs.isDuplicateKey(err)) {
                pollLater();
                return Future.succeededFuture();
              }
              return Future.failedFuture(err);
            });
      }
      Instant heartbeat = MongoDocs.instant(record.getValue("heartbeat"));
      if (heartbeat != null && heartbeat.plus(STALE).isAfter(now)) {
        pollLater();
        return Future.succeededFuture();
      }
      // Take over a dead node's backfill: only one node's conditional update matches the old heartbeat.
      return mongo.updateCollection(MIGRATIONS, key.copy().put("heartbeat", record.getValue("heartbeat")),
              new JsonObject().put("$set", new JsonObject().put("heartbeat", MongoDocs.date(now))))
          .compose(updated -> {
            if (updated.getDocModified() == 0) {
              pollLater();
              return Future.succeededFuture();
            }
            return run(MongoDocs.instant(record.getValue("cutoff")));
          });
    });
  }

  /** Counts the first batch now (a small store is done then), the rest in the background. */
  private Future<Void> run(Instant cutoff) {
    Map<String, Tally> tallies = new HashMap<>();
    String below = String.format("%08x", cutoff.getEpochSecond()) + "0000000000000000";
    return batch(tallies, cutoff, null, below).compose(after -> {
      if (after == null) {
        return finish(tallies);
      }
      continueFrom(tallies, cutoff, after, below);
      return Future.succeededFuture();
    });
  }

  private void continueFrom(Map<String, Tally> tallies, Instant cutoff, String after, String below) {
    mongo.updateCollection(MIGRATIONS, new JsonObject().put("_id", MIGRATION),
            new JsonObject().put("$set", new JsonObject().put("heartbeat", MongoDocs.date(Instant.now()))))
        .compose(v -> batch(tallies, cutoff, after, below))
        .onSuccess(next -> {
          if (next == null) {
            finish(tallies).onFailure(err -> LOG.warn("Counter backfill failed; the next start redoes it: {}",
                err.getMessage()));
          } else {
            continueFrom(tallies, cutoff, next, below);
          }
        })
        .onFailure(err -> LOG.warn("Counter backfill failed; the next start redoes it: {}", err.getMessage()));
  }

  /** Tallies one batch of messages after {@code after}; resolves to the last id read, or null when all are read. */
  private Future<String> batch(Map<String, Tally> tallies, Instant cutoff, String after, String below) {
    JsonObject range = new JsonObject().put("$lt", MongoDocs.oid(below));
    if (after != null) {
      range.put("$gt", MongoDocs.oid(after));
    }
    return mongo.findWithOptions(MessageStore.MESSAGES, new JsonObject().put("_id", range),
        new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(BATCH)
            .setFields(new JsonObject().put("channel_id", 1).put("user_id", 1).put("parent_message_id", 1)
                .put("is_deleted", 1).put("deleted_at", 1).put("content", 1).put("created_at", 1)))
        .map(docs -> {
          for (JsonObject doc : docs) {
            if (doc.getValue("parent_message_id") != null || doc.getString("channel_id") == null) {
              continue;
            }
            Tally tally = tallies.computeIfAbsent(doc.getString("channel_id"), c -> new Tally());
            tally.last = doc;
            Instant deletedAt = MongoDocs.instant(doc.getValue("deleted_at"));
            boolean liveAtCutoff = !Boolean.TRUE.equals(doc.getValue("is_deleted"))
                || deletedAt == null || !deletedAt.isBefore(cutoff);
            if (liveAtCutoff) {
              tally.count++;
              tally.own.merge(doc.getString("user_id"), 1L, Long::sum);
            }
          }
          return docs.size() < BATCH ? null : MongoDocs.id(docs.get(docs.size() - 1));
        });
  }

  private Future<Void> finish(Map<String, Tally> tallies) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
      String channelId = entry.getKey();
      Tally tally = entry.getValue();
      chain = chain.compose(v -> counters.setChannelBase(channelId, tally.count, tally.last));
      for (Map.Entry<String, Long> own : tally.own.entrySet()) {
        chain = chain.compose(v -> counters.setMemberBase(channelId, own.getKey(), own.getValue()));
      }
    }
    return chain.compose(v -> mongo.updateCollection(MIGRATIONS, new JsonObject().put("_id", MIGRATION),
            new JsonObject().put("$set", new JsonObject().put("state", "done")
                .put("at", MongoDocs.date(Instant.now())))))
        .onSuccess(v -> {
          ready = true;
          if (!tallies.isEmpty()) {
            LOG.info("Message counters backfilled for {} channels", tallies.size());
          }
        })
        .mapEmpty();
  }

  /** Another node is backfilling: look again later (and take over if it died). */
  private void pollLater() {
    vertx.setTimer(POLL_MS, id -> start().onFailure(err -> pollLater()));
  }
}
