package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The live events of one kind of address, numbered and kept for a while so that a client can resume after a gap.
 * Channels ({@code chat.channel.<id>}) and users ({@code chat.user.<id>}) have one each:
 * <pre>
 * channel_stats   {channel_id, seq: the last seq allocated,     (shared with {@link CounterStore})
 *                  changed_at: the newest allocation or counted write}
 * channel_events  {channel_id, seq, event, at: date}             unique {channel_id, seq}; {at} (TTL)
 * user_event_seqs {user_id, seq}                                 unique {user_id}
 * user_events     {user_id, seq, event, at: date}                unique {user_id, seq}; {at} (TTL)
 * </pre>
 * A seq is allocated in the store ({@code $inc} on the channel's or user's unique counter document), so it is
 * strictly increasing across every messages instance and node; it is not gap-free (a send that fails after
 * allocating leaves a number unused). Events stay {@link #retention} (setting {@code EVENT_RETENTION_HOURS}, default
 * 24): a TTL index
 * removes them on MongoDB, and {@link #prune} does the same where TTL indexes are not run (the embedded store).
 *
 * <p>A channel's allocation also marks the channel as changed ({@code changed_at}), in the same write and before
 * anything that uses the seq is written: a message stored without its counters (a process killed between the two)
 * is always in a channel that {@link CounterAudit} looks at, its first message ever included.
 */
final class EventLog {

  static final String CHANNEL_EVENTS = "channel_events";
  static final String USER_EVENTS = "user_events";
  static final String USER_SEQS = "user_event_seqs";
  static final int DEFAULT_PAGE = 500;
  static final String TOO_OLD = "These events are no longer kept; reload the history";

  private final MongoClient mongo;
  /** Seq allocations are staged: the event's log write, durable, follows and covers them. */
  private final MongoClient staged;
  private final Duration retention;
  private final Supplier<Instant> clock;
  private final String counters;
  private final String events;
  private final String key;
  /** The field an allocation sets to the time with {@code $max} (channels: {@code changed_at}), or null. */
  private final String changedAt;

  private EventLog(MongoClient mongo, MongoClient staged, Duration retention, Supplier<Instant> clock,
                   String counters, String events, String key, String changedAt) {
    this.mongo = mongo;
    this.staged = staged;
    this.retention = retention;
    this.clock = clock;
    this.counters = counters;
    this.events = events;
    this.key = key;
    this.changedAt = changedAt;
  }

  /** {@code staged}: the pool for staged writes ({@code MongoClients.staged}), or {@code mongo} itself. */
  static EventLog channels(MongoClient mongo, MongoClient staged, Duration retention, Supplier<Instant> clock) {
    return new EventLog(mongo, staged, retention, clock, CounterStore.CHANNEL_STATS, CHANNEL_EVENTS, "channel_id",
        CounterStore.CHANGED_AT);
  }

  static EventLog users(MongoClient mongo, MongoClient staged, Duration retention, Supplier<Instant> clock) {
    return new EventLog(mongo, staged, retention, clock, USER_SEQS, USER_EVENTS, "user_id", null);
  }

  Duration retention() {
    return retention;
  }

  Future<Void> createIndexes() {
    // The counters' unique index is what makes a concurrent first allocation retry instead of making two documents.
    return mongo.createIndexWithOptions(counters, new JsonObject().put(key, 1), new IndexOptions().unique(true))
        .compose(v -> mongo.createIndexWithOptions(events, new JsonObject().put(key, 1).put("seq", 1),
            new IndexOptions().unique(true)))
        .compose(v -> mongo.createIndexWithOptions(events, new JsonObject().put("at", 1),
            new IndexOptions().expireAfter(retention.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)));
  }

  /**
   * What an allocation gave: the last of its seqs, and how many times an audit had corrected the channel's figures by
   * then ({@link CounterStore#CORRECTIONS}; 0 for users). A send's counted write expects that same number.
   */
  record Allocation(long last, long corrections) {
  }

  /**
   * Allocates {@code count} consecutive seqs of a channel (or user). Staged: an allocation lost in a crash was used by
   * nothing durable (every durable use of a seq, its {@link #append}, covers it), so the seq may be handed out again.
   */
  Future<Allocation> allocate(String channelId, int count) {
    JsonObject update = new JsonObject().put("$inc", new JsonObject().put("seq", count));
    if (changedAt != null) {
      update.put("$max", new JsonObject().put(changedAt, MongoDocs.date(clock.get())));
    }
    // Two first allocations of a channel race on the unique channel_id index: the loser increments the winner's.
    return MongoDocs.upsertRetried(() -> staged.findOneAndUpdateWithOptions(counters,
            new JsonObject().put(key, channelId), update,
            new FindOptions().setFields(new JsonObject().put("seq", 1).put(CounterStore.CORRECTIONS, 1)),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(doc -> new Allocation(((Number) doc.getValue("seq")).longValue(), CounterStore.corrections(doc))));
  }

  /**
   * Logs an event, durably: this is the write that makes the staged writes before it durable (its seq, and a send's
   * message and counters), so the event is published, and its request answered, only after it.
   */
  Future<Void> append(String channelId, long seq, JsonObject event) {
    return mongo.insert(events, new JsonObject().put(key, channelId).put("seq", seq).put("event", event)
        .put("at", MongoDocs.date(clock.get()))).mapEmpty();
  }

  /** A durable write in place of an {@link #append} that failed, so that the staged writes before it are durable. */
  Future<Void> barrier() {
    return com.connectbest.chat.common.MongoClients.barrier(mongo);
  }

  /** Removes events older than the window (indexed on {@code at}). */
  Future<Void> prune() {
    return mongo.removeDocuments(events, new JsonObject().put("at",
        new JsonObject().put("$lt", MongoDocs.date(clock.get().minus(retention))))).mapEmpty();
  }

  /**
   * {@code listChannelEvents}: the events after {@code after_seq}, oldest first, at most {@code limit}; 410 when the
   * log no longer holds event {@code after_seq} itself (or, from 0, event 1): older ones may be gone, so only a
   * history reload is complete. A number that is a gap (its send failed) answers 410 too, which is safe.
   */
  Future<JsonObject> since(String channelId, long after, int limit) {
    JsonObject channel = new JsonObject().put(key, channelId);
    Future<JsonObject> counter = mongo.findOne(counters, channel, new JsonObject().put("seq", 1));
    Future<JsonObject> anchor = mongo.findOne(events, channel.copy().put("seq", after == 0 ? 1 : after),
        new JsonObject().put("at", 1));
    Future<java.util.List<JsonObject>> page = mongo.findWithOptions(events,
        channel.copy().put("seq", new JsonObject().put("$gt", after)),
        new FindOptions().setSort(new JsonObject().put("seq", 1)).setLimit(limit + 1)
            .setFields(new JsonObject().put("event", 1).put("seq", 1)));
    return Future.all(counter, anchor, page).compose(all -> {
      long latest = counter.result() != null && counter.result().getValue("seq") instanceof Number n
          ? n.longValue() : 0L;
      JsonObject held = anchor.result();
      Instant horizon = clock.get().minus(retention);
      boolean complete = after >= latest
          || held != null && !MongoDocs.instant(held.getValue("at")).isBefore(horizon);
      if (!complete) {
        return Future.failedFuture(new ApiException(410, ErrorCode.GONE, TOO_OLD,
            new JsonObject().put("after_seq", after).put("latest_seq", latest)
                .put("retention_hours", retention.toHours())));
      }
      java.util.List<JsonObject> found = page.result();
      boolean more = found.size() > limit;
      JsonArray missed = new JsonArray();
      found.stream().limit(limit).forEach(doc -> missed.add(doc.getJsonObject("event")));
      return Future.succeededFuture(new JsonObject().put("events", missed).put("has_more", more)
          .put("latest_seq", latest));
    });
  }

  static long afterSeq(Object value) {
    try {
      long after = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.validation("after_seq must be a whole number of at least 0",
        new JsonObject().put("field", "after_seq"));
  }

}
