package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code messages} collection:
 * <pre>
 * {_id: ObjectId, seq: long (the channel's event seq of its new_message / thread_reply),
 *  channel_id: string (24-hex channel id, or dm_&lt;a&gt;_&lt;b&gt;), user_id: hex string,
 *  content: string|null (null once deleted), parent_message_id: hex string|null (thread replies),
 *  attachments: [{name, size, type, url, key?}], is_deleted: bool, deleted_at, deleted_by,
 *  is_pinned: bool, pinned_at: date|null, pinned_by: hex string|null, reply_count: int (thread roots),
 *  created_at: date, updated_at: date, edited_at: date|null,
 *  client_key: "&lt;user id&gt;:&lt;idempotency key&gt;" (only on messages sent with a key),
 *  file_keys: [stored file keys its attachments reference]}
 * </pre>
 * Indexes {channel_id: 1, _id: -1} (channel pages, last message per channel), {channel_id: 1, seq: 1} (a resume's
 * new messages and replies, {@link MessageEntries}), three partial ones ({@link #PARTIAL_INDEXES}: threads, pinned
 * lists, file access) and {client_key: 1} unique and sparse (idempotent sends; one field,
 * because a sparse compound index would still index every keyless message of a user under a null key and make
 * them collide). Pages are cut by {@code _id}, which grows with insertion time. Only features both a real MongoDB
 * and the embedded mongo-java-server support are used (partial indexes through the embedded store's own indexes).
 */
final class MessageStore {

  static final String MESSAGES = "messages";
  static final String FILE_KEYS = "file_keys";
  private static final String MIGRATIONS = "schema_migrations";
  private static final String FILE_KEYS_MIGRATION = "messages.file_keys";
  static final String CLIENT_KEY = "client_key";
  /** How far a message's ObjectId timestamp may precede its created_at (clock skew between writers). */
  private static final long ID_SKEW_SECONDS = 60;

  private final MongoClient mongo;
  /** For a send's writes, which its durable barrier follows (see {@code MongoClients.staged}, ChannelSequencer). */
  private final MongoClient staged;

  MessageStore(MongoClient mongo) {
    this(mongo, mongo);
  }

  MessageStore(MongoClient mongo, MongoClient staged) {
    this.mongo = mongo;
    this.staged = staged;
  }

  /**
   * A partial index: only the messages its filter matches are in it, so a message that is no reply, not pinned and
   * carries no file (most of them) adds no entry to these three; each entry a send adds is work in the write and in
   * every commit of the embedded store (a send without them cost 0.91× the CPU). A query reads one only when its
   * conditions imply the filter: {@code parent_message_id: <id>} implies {@code $gt: ""} (ids are strings),
   * {@code is_pinned: true} is the filter itself, and {@code file_keys: <key>} implies {@code $gt: ""}.
   */
  record PartialIndex(String name, JsonObject keys, JsonObject filter) {
  }

  static final List<PartialIndex> PARTIAL_INDEXES = List.of(
      new PartialIndex("parent_message_id_1__id_1", new JsonObject().put("parent_message_id", 1).put("_id", 1),
          new JsonObject().put("parent_message_id", new JsonObject().put("$gt", ""))),
      new PartialIndex("channel_id_1_is_pinned_1_pinned_at_-1",
          new JsonObject().put("channel_id", 1).put("is_pinned", 1).put("pinned_at", -1),
          new JsonObject().put("is_pinned", true)),
      new PartialIndex("file_keys_1", new JsonObject().put(FILE_KEYS, 1),
          new JsonObject().put(FILE_KEYS, new JsonObject().put("$gt", ""))));

  Future<Void> createIndexes() {
    return mongo.createIndex(MESSAGES, new JsonObject().put("channel_id", 1).put("_id", -1))
        .compose(v -> mongo.createIndexWithOptions(MESSAGES, new JsonObject().put(CLIENT_KEY, 1),
            new IndexOptions().unique(true).sparse(true)))
        .compose(v -> mongo.createIndex(MESSAGES, new JsonObject().put("channel_id", 1).put("seq", 1)))
        .compose(v -> createPartialIndexes());
  }

  /**
   * Creates the partial indexes, first dropping a full index of the same name that an earlier version created
   * (MongoDB refuses to change an index's options in place). Rebuilding one reads every message once, at the first
   * start of this version; until it is back, a query that needs it on another node of a rolling upgrade scans.
   */
  private Future<Void> createPartialIndexes() {
    return mongo.listIndexes(MESSAGES).compose(existing -> {
      Future<Void> done = Future.succeededFuture();
      for (PartialIndex index : PARTIAL_INDEXES) {
        JsonObject found = existing.stream().map(JsonObject.class::cast)
            .filter(description -> index.name().equals(description.getString("name"))).findFirst().orElse(null);
        if (found != null && !index.filter().equals(found.getJsonObject("partialFilterExpression"))) {
          done = done.compose(v -> mongo.dropIndex(MESSAGES, index.name()));
        }
        done = done.compose(v -> mongo.createIndexWithOptions(MESSAGES, index.keys(),
            new IndexOptions().name(index.name()).partialFilterExpression(index.filter())));
      }
      return done;
    });
  }

  /**
   * The stored files a message's attachments reference: an attachment's {@code key}, or the key at the end of a
   * {@code /api/files/<key>} URL. Kept on the message ({@value #FILE_KEYS}, indexed) so that "which channels carry
   * this file" is an index lookup, not a scan of every message's attachments.
   */
  static JsonArray fileKeys(JsonArray attachments) {
    JsonArray keys = new JsonArray();
    if (attachments != null) {
      for (Object item : attachments) {
        if (item instanceof JsonObject attachment) {
          String key = attachment.getValue("key") instanceof String k ? k : keyOfUrl(attachment.getValue("url"));
          if (key != null && !keys.contains(key)) {
            keys.add(key);
          }
        }
      }
    }
    return keys;
  }

  /** The key a /api/files/ URL names, its query (a signed link's) removed. */
  private static String keyOfUrl(Object url) {
    return url instanceof String text ? com.connectbest.chat.common.FileLinks.keyOf(text) : null;
  }

  /**
   * Gives messages stored before {@value #FILE_KEYS} existed their keys, once per database: the migration is
   * recorded in {@code schema_migrations}, so later starts do not read the collection again.
   */
  Future<Void> backfillFileKeys() {
    JsonObject done = new JsonObject().put("_id", FILE_KEYS_MIGRATION);
    return mongo.findOne(MIGRATIONS, done, null).compose(found -> {
      if (found != null) {
        return Future.succeededFuture();
      }
      JsonObject legacy = new JsonObject().put("attachments.0", new JsonObject().put("$exists", true))
          .put(FILE_KEYS, new JsonObject().put("$exists", false));
      return mongo.findWithOptions(MESSAGES, legacy, new FindOptions().setFields(new JsonObject().put("attachments", 1)))
          .compose(docs -> Future.all(docs.stream().map(doc -> mongo.updateCollection(MESSAGES,
              MongoDocs.byId(MongoDocs.id(doc)), new JsonObject().put("$set",
                  new JsonObject().put(FILE_KEYS, fileKeys(doc.getJsonArray("attachments")))))).toList()))
          .compose(v -> mongo.save(MIGRATIONS, done.copy().put("at", MongoDocs.date(Instant.now()))))
          .mapEmpty();
    });
  }

  /** The stored form of a user's idempotency key: keys are per user, and the unique index spans one field. */
  static String clientKey(String userId, String key) {
    return userId + ":" + key;
  }

  /**
   * Inserts a new message; resolves to the stored document with its hex {@code _id}. With a client key, fails with
   * a duplicate-key error (11000) when a message holds that key already. Staged: the send's durable barrier follows.
   */
  Future<JsonObject> insert(String id, long seq, String channelId, String userId, String content, String parentId,
                            JsonArray attachments, Instant now, String clientKey, JsonObject bot) {
    return insert(document(id, seq, channelId, userId, content, parentId, attachments, now, clientKey, bot));
  }

  /** Inserts a document made by {@link #document} (staged, as above); resolves to it. */
  Future<JsonObject> insert(JsonObject doc) {
    // The id is given (made in seq order, see ChannelSequencer), so insert answers null; the document keeps it.
    return staged.insert(MESSAGES, doc).map(ignored -> doc);
  }

  /** A new message's document, as {@link #insert} stores it. */
  static JsonObject document(String id, long seq, String channelId, String userId, String content, String parentId,
                             JsonArray attachments, Instant now, String clientKey, JsonObject bot) {
    JsonObject doc = new JsonObject()
        .put("_id", id)
        .put("seq", seq)
        .put("channel_id", channelId)
        .put("user_id", userId)
        .put("content", content)
        .put("parent_message_id", parentId)
        .put("attachments", attachments)
        .put(FILE_KEYS, fileKeys(attachments))
        .put("is_deleted", false)
        .put("is_pinned", false)
        .put("pinned_at", null)
        .put("pinned_by", null)
        .put("reply_count", 0)
        .put("created_at", MongoDocs.date(now))
        .put("updated_at", MongoDocs.date(now))
        .put("edited_at", null);
    if (clientKey != null) {
      doc.put(CLIENT_KEY, clientKey);
    }
    if (bot != null) {
      doc.put("bot", bot);
    }
    return doc;
  }

  /** Resolves once every write applied so far, staged ones included, is durable. */
  Future<Void> barrier() {
    return com.connectbest.chat.common.MongoClients.barrier(mongo);
  }

  /** The message holding a client key, or null. */
  Future<JsonObject> findByClientKey(String clientKey) {
    return mongo.findOne(MESSAGES, new JsonObject().put(CLIENT_KEY, clientKey), null);
  }

  /** Frees an expired client key for reuse; only if that message still holds it (another request may have). */
  Future<Void> releaseClientKey(String id, String clientKey) {
    return mongo.updateCollection(MESSAGES, MongoDocs.byId(id).put(CLIENT_KEY, clientKey),
        new JsonObject().put("$unset", new JsonObject().put(CLIENT_KEY, ""))).mapEmpty();
  }

  Future<JsonObject> findById(String id) {
    return mongo.findOne(MESSAGES, MongoDocs.byId(id), null);
  }

  /** Messages by id that are not deleted (order unspecified). */
  Future<List<JsonObject>> findLiveByIds(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return mongo.find(MESSAGES, new JsonObject().put("_id", new JsonObject().put("$in", oids(ids)))
        .put("is_deleted", notTrue()));
  }

  /**
   * A channel's messages and thread replies that are not deleted, with a seq above {@code after}, in seq order: the
   * events of their sends ({@link MessageEntries}).
   */
  Future<List<JsonObject>> afterSeq(String channelId, long after, int limit) {
    return mongo.findWithOptions(MESSAGES, new JsonObject().put("channel_id", channelId)
            .put("seq", new JsonObject().put("$gt", after)).put("is_deleted", notTrue()),
        new FindOptions().setSort(new JsonObject().put("seq", 1)).setLimit(limit));
  }

  /** When the message (deleted or not) with this seq in the channel was created, or null if there is none. */
  Future<Instant> createdAtOfSeq(String channelId, long seq) {
    return mongo.findOne(MESSAGES, new JsonObject().put("channel_id", channelId).put("seq", seq),
            new JsonObject().put("created_at", 1))
        .map(doc -> doc == null ? null : MongoDocs.instant(doc.getValue("created_at")));
  }

  /** Thread roots' current reply counts by id (roots that are gone are absent). */
  Future<Map<String, Integer>> replyCounts(List<String> rootIds) {
    if (rootIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return mongo.findWithOptions(MESSAGES, new JsonObject().put("_id", new JsonObject().put("$in", oids(rootIds))),
            new FindOptions().setFields(new JsonObject().put("reply_count", 1)))
        .map(docs -> {
          Map<String, Integer> counts = new HashMap<>();
          docs.forEach(doc -> counts.put(MongoDocs.id(doc), MessageView.replyCount(doc)));
          return counts;
        });
  }

  /** A channel's top-level, not deleted messages, newest first, strictly older than {@code before} if given. */
  Future<List<JsonObject>> page(String channelId, String before, int limit) {
    JsonObject query = new JsonObject().put("channel_id", channelId).put("parent_message_id", null)
        .put("is_deleted", notTrue());
    if (before != null) {
      query.put("_id", new JsonObject().put("$lt", MongoDocs.oid(before)));
    }
    return mongo.findWithOptions(MESSAGES, query,
        new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(limit));
  }

  /** A thread's replies that are not deleted, oldest first, strictly newer than {@code after} if given. */
  Future<List<JsonObject>> replies(String parentId, String after, int limit) {
    JsonObject query = new JsonObject().put("parent_message_id", parentId).put("is_deleted", notTrue());
    if (after != null) {
      query.put("_id", new JsonObject().put("$gt", MongoDocs.oid(after)));
    }
    return mongo.findWithOptions(MESSAGES, query,
        new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit));
  }

  /**
   * Adds delta to a thread root's reply count; resolves to the new count (0 if the root is gone). Staged: the
   * reply's barrier (or the delete's event-log write) follows.
   */
  Future<Integer> addToReplyCount(String parentId, int delta) {
    return staged.findOneAndUpdateWithOptions(MESSAGES, MongoDocs.byId(parentId),
            new JsonObject().put("$inc", new JsonObject().put("reply_count", delta)),
            new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
        .map(doc -> doc == null ? 0 : MessageView.replyCount(doc));
  }

  /** Replaces the content of the author's live message; resolves to the new document, or null. */
  Future<JsonObject> edit(String id, String authorId, String content, Instant now) {
    return mongo.findOneAndUpdateWithOptions(MESSAGES,
        MongoDocs.byId(id).put("user_id", authorId).put("is_deleted", notTrue()),
        new JsonObject().put("$set", new JsonObject().put("content", content)
            .put("edited_at", MongoDocs.date(now)).put("updated_at", MongoDocs.date(now))),
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /**
   * Soft-deletes a live message: the document stays (threads, counts) but its content and attachments are erased
   * and it is unpinned. Resolves to the deleted document, or null if it was already deleted or is unknown.
   */
  Future<JsonObject> softDelete(String id, String byUserId, Instant now) {
    return mongo.findOneAndUpdateWithOptions(MESSAGES, MongoDocs.byId(id).put("is_deleted", notTrue()),
        new JsonObject().put("$set", new JsonObject()
            .put("is_deleted", true).put("content", null).put("attachments", new JsonArray())
            .put(FILE_KEYS, new JsonArray())
            .put("is_pinned", false).put("pinned_at", null).put("pinned_by", null)
            .put("deleted_at", MongoDocs.date(now)).put("deleted_by", byUserId).put("updated_at", MongoDocs.date(now))),
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** Pins or unpins a live message; resolves to the new document, or null if it is deleted or unknown. */
  Future<JsonObject> setPinned(String id, boolean pinned, String byUserId, Instant now) {
    JsonObject set = new JsonObject().put("is_pinned", pinned)
        .put("pinned_at", pinned ? MongoDocs.date(now) : null)
        .put("pinned_by", pinned ? byUserId : null);
    return mongo.findOneAndUpdateWithOptions(MESSAGES, MongoDocs.byId(id).put("is_deleted", notTrue()),
        new JsonObject().put("$set", set), new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /** A channel's pinned live messages, most recently pinned first. */
  Future<List<JsonObject>> pinned(String channelId, int limit) {
    return mongo.findWithOptions(MESSAGES,
        new JsonObject().put("channel_id", channelId).put("is_pinned", true).put("is_deleted", notTrue()),
        new FindOptions().setSort(new JsonObject().put("pinned_at", -1).put("_id", -1)).setLimit(limit));
  }

  /**
   * Live messages of the given channels whose content contains the text, case-insensitively, newest first.
   * The text is regex-escaped, never used as a pattern. A {@code $text} index would scale better on a real
   * MongoDB, but the embedded server cannot query one; an unanchored regex scans the channels' messages, which
   * is acceptable at this product's scale.
   */
  Future<List<JsonObject>> search(List<String> channelIds, String text, int limit) {
    return mongo.findWithOptions(MESSAGES, searchQuery(channelIds, text),
        new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(limit));
  }

  Future<Long> countSearch(List<String> channelIds, String text) {
    return mongo.countWithOptions(MESSAGES, searchQuery(channelIds, text), MongoClients.boundedCount());
  }

  private static JsonObject searchQuery(List<String> channelIds, String text) {
    return new JsonObject()
        .put("channel_id", new JsonObject().put("$in", new JsonArray(channelIds)))
        .put("is_deleted", notTrue())
        .put("content", MongoDocs.containsIgnoreCase(text));
  }

  /**
   * The newest top-level message of each given channel (deleted ones included, so that a deleted last message
   * shows as such): one newest-first read of the {channel_id, _id} index per channel, which stops after one entry.
   * A single aggregation over all channels would be one round trip, but the embedded store runs aggregations over
   * the whole collection, so its cost would grow with every message ever stored.
   */
  Future<Map<String, JsonObject>> lastMessages(List<String> channelIds) {
    List<Future<JsonObject>> lookups = channelIds.stream().map(channelId -> mongo.findWithOptions(MESSAGES,
            new JsonObject().put("channel_id", channelId).put("parent_message_id", null),
            new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(1)
                .setFields(new JsonObject().put("content", 1).put("is_deleted", 1).put("created_at", 1).put("seq", 1)))
        .map(found -> found.isEmpty() ? null : found.get(0))).toList();
    return Future.all(lookups).map(done -> {
      Map<String, JsonObject> last = new HashMap<>();
      for (int i = 0; i < channelIds.size(); i++) {
        JsonObject message = lookups.get(i).result();
        if (message != null) {
          last.put(channelIds.get(i), message);
        }
      }
      return last;
    });
  }

  /**
   * Per channel, the live top-level messages by others than the user created after the channel's last_read_at
   * (all of them when it is null): one count per channel whose {@code _id} lower bound (from the read time, minus
   * a skew margin) makes it a range of the {channel_id, _id} index, so its cost is the channel's unread messages,
   * not the store's size.
   */
  Future<Map<String, Long>> unreadCounts(String userId, Map<String, Instant> lastReadAt) {
    List<String> channelIds = List.copyOf(lastReadAt.keySet());
    List<Future<Long>> counts = channelIds.stream().map(channelId -> {
      Instant readAt = lastReadAt.get(channelId);
      JsonObject query = new JsonObject().put("channel_id", channelId)
          .put("user_id", new JsonObject().put("$ne", userId))
          .put("parent_message_id", null)
          .put("is_deleted", notTrue());
      if (readAt != null) {
        query.put("_id", new JsonObject().put("$gte", MongoDocs.oid(objectIdFloor(readAt))))
            .put("created_at", new JsonObject().put("$gt", MongoDocs.date(readAt)));
      }
      return mongo.countWithOptions(MESSAGES, query, MongoClients.boundedCount());
    }).toList();
    return Future.all(counts).map(done -> {
      Map<String, Long> unread = new HashMap<>();
      for (int i = 0; i < channelIds.size(); i++) {
        unread.put(channelIds.get(i), counts.get(i).result());
      }
      return unread;
    });
  }

  /**
   * Live messages carrying a stored file (see {@link #fileKeys}); only messages by {@code authorId} when given. One
   * lookup of the {@value #FILE_KEYS} index per batch.
   */
  record Carriers(List<String> channelIds, String lastId) {
  }

  /**
   * One batch of the live messages carrying a stored file, in {@code _id} order after {@code after}: their distinct
   * channels, and the last message's id to continue from (null when this was the last batch).
   */
  Future<Carriers> channelsCarryingFile(String key, String authorId, String after, int limit) {
    JsonObject query = new JsonObject().put(FILE_KEYS, key).put("is_deleted", notTrue());
    if (authorId != null) {
      query.put("user_id", authorId);
    }
    if (after != null) {
      query.put("_id", new JsonObject().put("$gt", MongoDocs.oid(after)));
    }
    return mongo.findWithOptions(MESSAGES, query, new FindOptions().setFields(new JsonObject().put("channel_id", 1))
            .setSort(new JsonObject().put("_id", 1)).setLimit(limit))
        .map(docs -> new Carriers(docs.stream().map(doc -> doc.getString("channel_id")).distinct().toList(),
            docs.size() < limit ? null : MongoDocs.id(docs.get(docs.size() - 1))));
  }

  /**
   * A channel's live top-level messages, counted from the messages (a range of the {channel_id, _id} index): what
   * its counters must say. For {@link CounterAudit} only, at start; a channel list never counts.
   */
  Future<Long> countTopLevel(String channelId) {
    return mongo.countWithOptions(MESSAGES, new JsonObject().put("channel_id", channelId)
        .put("parent_message_id", null).put("is_deleted", notTrue()), MongoClients.boundedCount());
  }

  Future<Long> countLive() {
    return mongo.countWithOptions(MESSAGES, new JsonObject().put("is_deleted", notTrue()), MongoClients.boundedCount());
  }

  /** The smallest ObjectId whose timestamp is the given instant's second minus the skew margin. */
  private static String objectIdFloor(Instant instant) {
    long seconds = Math.max(0, instant.getEpochSecond() - ID_SKEW_SECONDS);
    return String.format("%08x", seconds) + "0000000000000000";
  }

  private static JsonObject notTrue() {
    return new JsonObject().put("$ne", true);
  }

  static JsonArray oids(List<String> ids) {
    JsonArray oids = new JsonArray();
    ids.forEach(id -> oids.add(MongoDocs.oid(id)));
    return oids;
  }
}
