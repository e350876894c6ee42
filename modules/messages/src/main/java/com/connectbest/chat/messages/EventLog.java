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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The live events of one kind of address, numbered and kept for a while so that a client can resume after a gap.
 * Channels ({@code chat.channel.<id>}) and users ({@code chat.user.<id>}) have one each:
 * <pre>
 * channel_stats   {channel_id, seq: the last seq allocated,     (shared with {@link CounterStore})
 *                  changed_at: the newest allocation or counted write}
 * channel_events  {channel_id, seq, event, at: date}             unique {channel_id, seq}; {at} (TTL)
 *                 (every event but new messages and replies: their stored messages are their record, see
 *                  {@link Recorded} and {@link MessageEntries})
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
  /** Seq allocations are staged: the event's durable write (its log entry, or a barrier) follows and covers them. */
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
   * Entries of a sequence recorded somewhere other than the log: a channel's new messages and thread replies, whose
   * stored message is their event's record ({@link MessageEntries}), so that a send makes one insert, not two.
   */
  interface Recorded {

    /** Up to {@code limit} entries after {@code after}, in seq order. */
    Future<List<Entry>> after(String key, long after, int limit);

    /** When entry {@code seq} was recorded, or null if it is not recorded here. */
    Future<Instant> recordedAt(String key, long seq);

    /** The events of the given entries, in their order. */
    Future<List<JsonObject>> events(List<Entry> entries);

    /** Nothing recorded elsewhere: the log is the whole sequence (user addresses). */
    Recorded NONE = new Recorded() {
      @Override
      public Future<List<Entry>> after(String key, long after, int limit) {
        return Future.succeededFuture(List.of());
      }

      @Override
      public Future<Instant> recordedAt(String key, long seq) {
        return Future.succeededFuture();
      }

      @Override
      public Future<List<JsonObject>> events(List<Entry> entries) {
        return Future.succeededFuture(List.of());
      }
    };
  }

  /** One numbered entry: a logged event ({@code event}) or a record kept elsewhere ({@code record}). */
  record Entry(long seq, JsonObject event, JsonObject record) {
  }

  /**
   * How much later than its record's time an event after it may have been logged (clock skew between nodes, a paused
   * writer): a record is taken as proof that the log still holds what follows it only when it is this much younger
   * than the retention horizon.
   */
  static final Duration RECORD_SKEW = Duration.ofMinutes(1);

  /** {@link #since(String, long, int, Recorded)} for a sequence that is all in the log. */
  Future<JsonObject> since(String key, long after, int limit) {
    return since(key, after, limit, Recorded.NONE);
  }

  /**
   * {@code listChannelEvents}: the events after {@code after_seq}, oldest first, at most {@code limit}, from the log
   * and from {@code recorded} merged by seq; 410 when neither holds entry {@code after_seq} itself (or, from 0, entry
   * 1) young enough: older log events may be gone, so only a history reload is complete. A number that is a gap (its
   * send failed) answers 410 too, which is safe. A seq found in both (logged before its records counted) is the log's.
   */
  Future<JsonObject> since(String channelId, long after, int limit, Recorded recorded) {
    JsonObject channel = new JsonObject().put(key, channelId);
    long anchorSeq = after == 0 ? 1 : after;
    Future<JsonObject> counter = mongo.findOne(counters, channel, new JsonObject().put("seq", 1));
    Future<JsonObject> anchor = mongo.findOne(events, channel.copy().put("seq", anchorSeq),
        new JsonObject().put("at", 1));
    Future<Instant> anchorRecord = recorded.recordedAt(channelId, anchorSeq);
    Future<List<JsonObject>> page = mongo.findWithOptions(events,
        channel.copy().put("seq", new JsonObject().put("$gt", after)),
        new FindOptions().setSort(new JsonObject().put("seq", 1)).setLimit(limit + 1)
            .setFields(new JsonObject().put("event", 1).put("seq", 1)));
    Future<List<Entry>> records = recorded.after(channelId, after, limit + 1);
    return Future.all(List.of(counter, anchor, anchorRecord, page, records)).compose(all -> {
      long latest = counter.result() != null && counter.result().getValue("seq") instanceof Number n
          ? n.longValue() : 0L;
      Instant horizon = clock.get().minus(retention);
      JsonObject held = anchor.result();
      boolean complete = after >= latest
          || held != null && !MongoDocs.instant(held.getValue("at")).isBefore(horizon)
          || anchorRecord.result() != null && !anchorRecord.result().isBefore(horizon.plus(RECORD_SKEW));
      if (!complete) {
        return Future.failedFuture(new ApiException(410, ErrorCode.GONE, TOO_OLD,
            new JsonObject().put("after_seq", after).put("latest_seq", latest)
                .put("retention_hours", retention.toHours())));
      }
      List<Entry> merged = merge(page.result(), records.result(), limit + 1);
      boolean more = merged.size() > limit;
      List<Entry> kept = merged.subList(0, Math.min(limit, merged.size()));
      return recorded.events(kept.stream().filter(entry -> entry.event() == null).toList()).map(made -> {
        Iterator<JsonObject> fromRecords = made.iterator();
        JsonArray missed = new JsonArray();
        kept.forEach(entry -> missed.add(entry.event() != null ? entry.event() : fromRecords.next()));
        return new JsonObject().put("events", missed).put("has_more", more).put("latest_seq", latest);
      });
    });
  }

  /** The first {@code max} entries of both seq-ordered lists, in seq order; a logged event wins a shared seq. */
  private static List<Entry> merge(List<JsonObject> logged, List<Entry> records, int max) {
    List<Entry> fromLog = logged.stream()
        .map(doc -> new Entry(((Number) doc.getValue("seq")).longValue(), doc.getJsonObject("event"), null)).toList();
    List<Entry> merged = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (merged.size() < max && (i < fromLog.size() || j < records.size())) {
      if (j == records.size() || i < fromLog.size() && fromLog.get(i).seq() <= records.get(j).seq()) {
        if (j < records.size() && fromLog.get(i).seq() == records.get(j).seq()) {
          j++;
        }
        merged.add(fromLog.get(i++));
      } else {
        merged.add(records.get(j++));
      }
    }
    return merged;
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
