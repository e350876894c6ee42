package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code user_channel_read} collection: one read position per user and channel (see {@link ChannelStore}). */
final class ReadStateStore {

  static final String READS = "user_channel_read";

  private final MongoClient mongo;

  ReadStateStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(READS, new JsonObject().put("user_id", 1).put("channel_id", 1),
        new IndexOptions().unique(true));
  }

  /** Upserts the read position; two concurrent first upserts race on the unique index, so one is retried. */
  Future<Void> markRead(String userId, String channelId, Instant at) {
    return upsert(userId, channelId, at)
        .recover(err -> MongoDocs.isDuplicateKey(err) ? upsert(userId, channelId, at) : Future.failedFuture(err));
  }

  /** channel id → last_read_at of one user, for the given channels (unread channels are absent). */
  Future<Map<String, Instant>> ofUser(String userId, List<String> channelIds) {
    JsonObject query = new JsonObject().put("user_id", userId)
        .put("channel_id", new JsonObject().put("$in", new JsonArray(channelIds)));
    return mongo.find(READS, query).map(rows -> {
      Map<String, Instant> reads = new HashMap<>();
      rows.forEach(row -> reads.put(row.getString("channel_id"), MongoDocs.instant(row.getValue("last_read_at"))));
      return reads;
    });
  }

  /** user id → last_read_at, for everyone who has read the channel. */
  Future<Map<String, Instant>> ofChannel(String channelId) {
    return mongo.find(READS, new JsonObject().put("channel_id", channelId)).map(rows -> {
      Map<String, Instant> reads = new HashMap<>();
      rows.forEach(row -> reads.put(row.getString("user_id"), MongoDocs.instant(row.getValue("last_read_at"))));
      return reads;
    });
  }

  private Future<Void> upsert(String userId, String channelId, Instant at) {
    return mongo.updateCollectionWithOptions(READS,
            new JsonObject().put("user_id", userId).put("channel_id", channelId),
            new JsonObject().put("$set", new JsonObject().put("last_read_at", MongoDocs.date(at))),
            new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }
}
