package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoClientUpdateResult;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Message counters, kept as writes happen so that a channel list subtracts instead of counting (Mattermost's
 * {@code TotalMsgCount} / {@code MsgCount}):
 * <pre>
 * channel_stats        {channel_id, seq, total, base, latest: {seq, id, content, deleted, created_at},
 *                       last_id, last: {content, deleted, created_at} (the backfill's last message),
 *                       ops (counted writes so far), changed_at (the newest write that touched the figures, or
 *                       the newest seq allocation: {@link EventLog}), corrections (audits that corrected them)}
 * channel_member_stats {channel_id, user_id, msg_count, base, read_at: date|null}
 * </pre>
 * A channel counts its live top-level messages ({@code total + base}); a member has "counted"
 * {@code msg_count + base} of them: every message up to the member's read position, plus the member's own top-level
 * messages (own messages are never unread). Unread = channel count − member count, clamped at 0. {@code base} holds
 * what {@link CounterBackfill} found for messages stored before the counters existed; live writes only touch
 * {@code total} / {@code msg_count}, so a backfill that is redone sets the same {@code base} again.
 *
 * <p>Races: a send that lands while a read mark copies the channel count may be counted on the wrong side of the
 * mark, so one member's unread figure may be one off (clamped at 0); so may a delete racing a read mark. Member
 * counters heal exactly: the next read mark sets them to the channel count, and a channel list that finds the
 * member's stored {@code read_at} different from the channels service's read position (a lost read notice)
 * recounts that one member once ({@link ChannelActivityService}). A message stored without its count (or counted
 * without being stored) because the process died between the two writes is found by {@link CounterAudit}, which
 * {@link CounterWriterRuns} runs for that process's run, through {@code changed_at} and {@code ops}. A counted write
 * of a channel (a send's, a delete's) is made only if the channel's {@code corrections} are what they were when the
 * write began (at its seq allocation, or its {@link #touch}): a write that was still in flight when an audit
 * corrected the figures (a paused node, a stalled store) may already be in the corrected count, so it is not made
 * again; it fails with {@link CorrectedMeanwhile}, and its run audits the channel once more. Indexes: unique
 * {channel_id} and unique {user_id, channel_id} (lookups of a channel list), {channel_id, read_at} (the members a
 * delete must correct).
 */
final class CounterStore {

  static final String CHANNEL_STATS = "channel_stats";
  static final String MEMBER_STATS = "channel_member_stats";
  /** The newest top-level message counted live: {seq, id, content, deleted, created_at}, kept by {@code $max}. */
  static final String LATEST = "latest";
  /** When the channel's figures last changed or were about to: what {@link CounterAudit} selects channels by. */
  static final String CHANGED_AT = "changed_at";
  /** How many times an audit corrected the channel's figures (absent: never): the fence of counted writes. */
  static final String CORRECTIONS = "corrections";

  /**
   * A counted write not made: an audit corrected its channel's figures after the write began, and may have counted
   * its message already. Its run owes an audit, which recounts the channel.
   */
  static final class CorrectedMeanwhile extends RuntimeException {
    CorrectedMeanwhile(String channelId) {
      super("channel " + channelId + " was corrected by an audit while this write was in flight; it is audited again "
          + "instead", null, false, false);
    }
  }

  /** A channel's figures: live top-level messages, and its newest top-level message (deleted ones too), or null. */
  record ChannelCount(long messages, String lastId, String lastContent, boolean lastDeleted, Object lastCreatedAt) {
  }

  /** What a member has counted, and the read position that count was set at (null: never read). */
  record MemberCount(long counted, Instant readAt) {
  }

  private final MongoClient mongo;
  /** For {@link #sent}: a send's counters are staged, and its durable barrier follows them. */
  private final MongoClient staged;

  CounterStore(MongoClient mongo) {
    this(mongo, mongo);
  }

  CounterStore(MongoClient mongo, MongoClient staged) {
    this.mongo = mongo;
    this.staged = staged;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(CHANNEL_STATS, new JsonObject().put("channel_id", 1),
            new IndexOptions().unique(true))
        .compose(v -> mongo.createIndexWithOptions(MEMBER_STATS,
            new JsonObject().put("user_id", 1).put("channel_id", 1), new IndexOptions().unique(true)))
        .compose(v -> mongo.createIndex(MEMBER_STATS, new JsonObject().put("channel_id", 1).put("read_at", 1)));
  }

  /**
   * A new top-level message: the channel counts one more, it becomes the last message if its seq is the highest, and
   * its author counted it. One update of the channel's figures whatever the order in which concurrent sends get
   * here: {@code $max} keeps the {@code latest} message with the highest seq (documents compare field by field, and
   * {@code seq} comes first). Staged writes: the send's durable barrier makes them durable.
   */
  Future<Void> sent(JsonObject message, long corrections) {
    String channelId = message.getString("channel_id");
    // The document exists: the message's seq allocation, which precedes this, upserted it.
    Future<Void> channel = fenced(staged.updateCollection(CHANNEL_STATS, fence(channelId, corrections), new JsonObject()
        .put("$inc", new JsonObject().put("total", 1).put("ops", 1))
        .put("$max", new JsonObject().put(LATEST, latest(message)).put(CHANGED_AT, message.getValue("created_at")))),
        channelId);
    Future<Void> author = upsert(staged, MEMBER_STATS, member(channelId, message.getString("user_id")),
        new JsonObject().put("$inc", new JsonObject().put("msg_count", 1)));
    return Future.all(channel, author).mapEmpty();
  }

  /** The {@link #LATEST} entry for a top-level message: {seq, id, content, deleted, created_at}, seq first. */
  private static JsonObject latest(JsonObject message) {
    return new JsonObject()
        .put("seq", message.getValue("seq") instanceof Number seq ? seq.longValue() : 0L)
        .put("id", MongoDocs.id(message))
        .put("content", message.getValue("content"))
        .put("deleted", Boolean.TRUE.equals(message.getValue("is_deleted")))
        .put("created_at", message.getValue("created_at"));
  }

  /** An edited top-level message: shown as the last message's content if it is the last one. */
  Future<Void> edited(JsonObject message) {
    return onLastMessage(message, new JsonObject().put("content", message.getValue("content")));
  }

  /**
   * A deleted top-level message: the channel counts one fewer, and so does everyone who had counted it (members
   * whose read position is at or after it, and its author); those who had not still do not, so their unread
   * figure drops by one. One indexed update over the channel's readers: deletes are rare, sends and lists hot.
   */
  Future<Void> deleted(JsonObject message, long corrections) {
    String channelId = message.getString("channel_id");
    String authorId = message.getString("user_id");
    JsonObject dec = new JsonObject().put("$inc", new JsonObject().put("total", -1).put("ops", 1))
        .put("$max", new JsonObject().put(CHANGED_AT, MongoDocs.date(Clock.now())));
    JsonObject readers = new JsonObject().put("channel_id", channelId)
        .put("read_at", new JsonObject().put("$gte", message.getValue("created_at")))
        .put("user_id", new JsonObject().put("$ne", authorId));
    JsonObject minusOne = new JsonObject().put("$inc", new JsonObject().put("msg_count", -1));
    return fenced(mongo.updateCollection(CHANNEL_STATS, fence(channelId, corrections), dec), channelId)
        .compose(v -> onLastMessage(message, new JsonObject().put("deleted", true).put("content", null)))
        .compose(v -> mongo.updateCollectionWithOptions(MEMBER_STATS, readers, minusOne,
            new UpdateOptions().setMulti(true)))
        .compose(v -> mongo.updateCollection(MEMBER_STATS, member(channelId, authorId), minusOne))
        .mapEmpty();
  }

  /**
   * Sets {@code fields} of the channel's last message if {@code message} is it: in {@code latest} (counted live) and
   * in the backfill's {@code last}, whichever names it.
   */
  private Future<Void> onLastMessage(JsonObject message, JsonObject fields) {
    String channelId = message.getString("channel_id");
    String id = MongoDocs.id(message);
    JsonObject latest = new JsonObject();
    JsonObject last = new JsonObject();
    fields.forEach(field -> {
      latest.put(LATEST + "." + field.getKey(), field.getValue());
      last.put("last." + field.getKey(), field.getValue());
    });
    return Future.all(
        mongo.updateCollection(CHANNEL_STATS, channel(channelId).put(LATEST + ".id", id),
            new JsonObject().put("$set", latest)),
        mongo.updateCollection(CHANNEL_STATS, channel(channelId).put("last_id", id),
            new JsonObject().put("$set", last)))
        .mapEmpty();
  }

  /**
   * Marks the channel's figures as about to change, before an edit or a delete is stored: if the process dies between
   * that write and the counter update after it, {@link CounterAudit} finds the channel by {@code changed_at}. A staged
   * write; the edit's or delete's own write follows it. Resolves to the channel's {@link #CORRECTIONS} at that moment,
   * which the delete's counted write expects.
   */
  Future<Long> touch(String channelId) {
    return MongoDocs.upsertRetried(() -> staged.findOneAndUpdateWithOptions(CHANNEL_STATS, channel(channelId),
            new JsonObject().put("$max", new JsonObject().put(CHANGED_AT, MongoDocs.date(Clock.now()))),
            new FindOptions().setFields(new JsonObject().put(CORRECTIONS, 1)),
            new UpdateOptions().setUpsert(true).setReturningNewDocument(true))
        .map(CounterStore::corrections));
  }

  /** A channel's {@link #CORRECTIONS} as a counter document (or an allocation's answer) holds them. */
  static long corrections(JsonObject doc) {
    return doc != null && doc.getValue(CORRECTIONS) instanceof Number n ? n.longValue() : 0L;
  }

  /** The channel's figures, if they were corrected exactly {@code corrections} times (never: no such field). */
  private static JsonObject fence(String channelId, long corrections) {
    return channel(channelId).put(CORRECTIONS, corrections == 0 ? null : corrections);
  }

  /** Fails with {@link CorrectedMeanwhile} when a fenced update found no document. */
  private static Future<Void> fenced(Future<MongoClientUpdateResult> update, String channelId) {
    return update.compose(result -> result != null && result.getDocMatched() == 0
        ? Future.failedFuture(new CorrectedMeanwhile(channelId)) : Future.succeededFuture());
  }

  /** A channel's figures as the audit reads them: {@code ops} (null before any counted write) and what they say. */
  record Audited(String channelId, Object ops, long messages, String lastId, String lastContent, boolean lastDeleted) {
  }

  /**
   * The figures of every channel written since {@code since}. Not indexed: it runs once at start, off the request
   * path, over one document per channel (an index on {@code changed_at} would cost every send an index update).
   */
  Future<List<Audited>> changedSince(Instant since) {
    return mongo.find(CHANNEL_STATS, new JsonObject().put(CHANGED_AT,
        new JsonObject().put("$gte", MongoDocs.date(since)))).map(docs -> docs.stream().map(doc -> {
          ChannelCount count = count(doc);
          return new Audited(doc.getString("channel_id"), doc.getValue("ops"), count.messages(), count.lastId(),
              count.lastContent(), count.lastDeleted());
        }).toList());
  }

  /**
   * Corrects a channel's figures if no counted write happened since the audit read them ({@code ops} unchanged):
   * the count moves by {@code delta}, and {@code newest} (a top-level message with its {@code seq}, or null) becomes
   * the last message, and {@link #CORRECTIONS} goes up, so that no counted write begun before this one is made after
   * it (it may be in the recount already). Resolves to whether it was corrected.
   */
  Future<Boolean> correct(String channelId, Object ops, long delta, JsonObject newest) {
    JsonObject update = new JsonObject().put("$inc", new JsonObject().put("total", delta).put("ops", 1)
        .put(CORRECTIONS, 1));
    if (newest != null) {
      update.put("$set", new JsonObject().put(LATEST, latest(newest)));
    }
    return mongo.updateCollection(CHANNEL_STATS, channel(channelId).put("ops", ops), update)
        .map(result -> result.getDocModified() > 0);
  }

  /** Forgets every member's read position in the channel, so that each is recounted at its next channel list. */
  Future<Void> forgetReads(String channelId) {
    return mongo.updateCollectionWithOptions(MEMBER_STATS, channel(channelId),
        new JsonObject().put("$set", new JsonObject().put("read_at", "unknown")), new UpdateOptions().setMulti(true))
        .mapEmpty();
  }

  /** Sets what a member has counted, and at which read position (a read mark, or a recount). */
  Future<Void> setCounted(String channelId, String userId, long counted, Instant readAt) {
    return upsert(MEMBER_STATS, member(channelId, userId), new JsonObject().put("$set", new JsonObject()
        .put("msg_count", counted).put("base", 0).put("read_at", readAt == null ? null : MongoDocs.date(readAt))));
  }

  /** Forgets a member's read position so that the next channel list recounts it (read marks during a backfill). */
  Future<Void> forgetRead(String channelId, String userId) {
    return mongo.updateCollection(MEMBER_STATS, member(channelId, userId),
        new JsonObject().put("$set", new JsonObject().put("read_at", "unknown"))).mapEmpty();
  }

  /** The backfilled figures of a channel: its count and last message up to the backfill's cutoff. */
  Future<Void> setChannelBase(String channelId, long count, JsonObject lastMessage) {
    return upsert(CHANNEL_STATS, channel(channelId), new JsonObject().put("$set", new JsonObject().put("base", count)))
        .compose(v -> lastMessage == null ? Future.succeededFuture() : mongo.updateCollection(CHANNEL_STATS,
            channel(channelId).put("$or", new JsonArray()
                .add(new JsonObject().put("last_id", new JsonObject().put("$lt", MongoDocs.id(lastMessage))))
                .add(new JsonObject().put("last_id", new JsonObject().put("$exists", false)))),
            new JsonObject().put("$set", new JsonObject().put("last_id", MongoDocs.id(lastMessage)).put("last",
                new JsonObject().put("content", lastMessage.getValue("content"))
                    .put("deleted", Boolean.TRUE.equals(lastMessage.getValue("is_deleted")))
                    .put("created_at", lastMessage.getValue("created_at"))))).mapEmpty());
  }

  /** The backfilled count of a member: own top-level messages up to the backfill's cutoff. */
  Future<Void> setMemberBase(String channelId, String userId, long own) {
    return upsert(MEMBER_STATS, member(channelId, userId), new JsonObject().put("$set", new JsonObject().put("base", own)));
  }

  /** channel id → its figures, for the channels that have any. */
  Future<Map<String, ChannelCount>> channels(Collection<String> channelIds) {
    if (channelIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return mongo.find(CHANNEL_STATS, new JsonObject().put("channel_id",
        new JsonObject().put("$in", new JsonArray(List.copyOf(channelIds))))).map(docs -> {
          Map<String, ChannelCount> counts = new HashMap<>();
          docs.forEach(doc -> counts.put(doc.getString("channel_id"), count(doc)));
          return counts;
        });
  }

  private static ChannelCount count(JsonObject doc) {
    // Any message counted live is newer than the backfilled "last" (the backfill's cutoff precedes it).
    JsonObject latest = doc.getJsonObject(LATEST);
    JsonObject last = latest != null ? latest : doc.getJsonObject("last");
    return new ChannelCount(number(doc, "total") + number(doc, "base"),
        latest != null ? latest.getString("id") : doc.getString("last_id"),
        last == null ? null : last.getString("content"),
        last != null && Boolean.TRUE.equals(last.getValue("deleted")),
        last == null ? null : last.getValue("created_at"));
  }

  /** channel id → what the user has counted there, for the channels where the user has a counter. */
  Future<Map<String, MemberCount>> member(String userId, Collection<String> channelIds) {
    if (channelIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return mongo.find(MEMBER_STATS, new JsonObject().put("user_id", userId).put("channel_id",
        new JsonObject().put("$in", new JsonArray(List.copyOf(channelIds))))).map(docs -> {
          Map<String, MemberCount> counts = new HashMap<>();
          // A read_at that is not a date ("unknown") never equals a read position, so it forces a recount.
          docs.forEach(doc -> counts.put(doc.getString("channel_id"), new MemberCount(
              number(doc, "msg_count") + number(doc, "base"),
              doc.getValue("read_at") instanceof JsonObject date ? MongoDocs.instant(date)
                  : doc.getValue("read_at") == null ? null : Instant.EPOCH)));
          return counts;
        });
  }

  /** The channel's count (0 when it has no counter yet). */
  Future<Long> channelCount(String channelId) {
    return mongo.findOne(CHANNEL_STATS, channel(channelId), null)
        .map(doc -> doc == null ? 0L : number(doc, "total") + number(doc, "base"));
  }

  private static long number(JsonObject doc, String field) {
    return doc.getValue(field) instanceof Number n ? n.longValue() : 0L;
  }

  private static JsonObject channel(String channelId) {
    return new JsonObject().put("channel_id", channelId);
  }

  private static JsonObject member(String channelId, String userId) {
    return new JsonObject().put("user_id", userId).put("channel_id", channelId);
  }

  /** An upsert keyed by a unique index: two concurrent first upserts race on it, so the loser is retried once. */
  private Future<Void> upsert(String collection, JsonObject key, JsonObject update) {
    return upsert(mongo, collection, key, update);
  }

  private static Future<Void> upsert(MongoClient client, String collection, JsonObject key, JsonObject update) {
    return MongoDocs.upsertRetried(() -> client.updateCollectionWithOptions(collection, key.copy(), update,
        new UpdateOptions().setUpsert(true)).mapEmpty());
  }
}
