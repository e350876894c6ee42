package com.connectbest.chat.channels;

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
 * The {@code user_channel_read} collection: one read position per user and channel (see {@link ChannelStore}).
 * Every question is answered by the store through an index.
 */
final class ReadStateStore {

  static final String READS = "user_channel_read";
  private static final JsonObject READ_FIELDS = new JsonObject().put("_id", 0).put("user_id", 1)
      .put("channel_id", 1).put("last_read_at", 1);

  private final MongoClient mongo;
  private final ChannelReaders readers;

  ReadStateStore(MongoClient mongo, ChannelReaders readers) {
    this.mongo = mongo;
    this.readers = readers;
  }

  /** One position per user and channel (unique; a user's positions); a channel's readers. */
  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(READS, new JsonObject().put("user_id", 1).put("channel_id", 1),
            new IndexOptions().unique(true))
        .compose(v -> mongo.createIndex(READS, new JsonObject().put("channel_id", 1).put("last_read_at", 1)));
  }

  /** Upserts the read position; two concurrent first upserts race on the unique index, so one is retried. */
  Future<Void> markRead(String userId, String channelId, Instant at) {
    return MongoDocs.upsertRetried(() -> upsert(userId, channelId, at))
        .onComplete(done -> {
          if (done.succeeded()) {
            readers.moved(channelId, userId, at);
          } else {
            readers.invalidate(channelId);
          }
        });
  }

  /** channel id → last_read_at of one user, for the given channels (unread channels are absent). */
  Future<Map<String, Instant>> ofUser(String userId, List<String> channelIds) {
    if (channelIds.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    return mongo.findWithOptions(READS, new JsonObject().put("user_id", userId)
                .put("channel_id", new JsonObject().put("$in", new JsonArray(channelIds))),
            new FindOptions().setFields(READ_FIELDS))
        .map(docs -> positions(docs, "channel_id"));
  }

  /** user id → last_read_at, for everyone who has read the channel (members or not). */
  Future<Map<String, Instant>> ofChannel(String channelId) {
    return mongo.findWithOptions(READS, new JsonObject().put("channel_id", channelId),
            new FindOptions().setFields(READ_FIELDS))
        .map(docs -> positions(docs, "user_id"));
  }

  private static Map<String, Instant> positions(List<JsonObject> docs, String keyField) {
    Map<String, Instant> positions = new HashMap<>();
    docs.forEach(doc -> {
      Instant at = MongoDocs.instant(doc.getValue("last_read_at"));
      if (doc.getString(keyField) != null && at != null) {
        positions.put(doc.getString(keyField), at);
      }
    });
    return positions;
  }

  private Future<Void> upsert(String userId, String channelId, Instant at) {
    return mongo.updateCollectionWithOptions(READS,
            new JsonObject().put("user_id", userId).put("channel_id", channelId),
            new JsonObject().put("$set", new JsonObject().put("last_read_at", MongoDocs.date(at))),
            new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }
}
