package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code typing_status} collection (see {@link ChannelStore}). The TTL index keeps a real MongoDB tidy; the
 * embedded server never expires documents, so readers delete expired entries themselves ({@link #purge}).
 */
final class TypingStore {

  static final String TYPING = "typing_status";
  private static final long TTL_SECONDS = 60;

  private final MongoClient mongo;

  TypingStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(TYPING, new JsonObject().put("channel_id", 1).put("user_id", 1),
            new IndexOptions().unique(true))
        .compose(v -> mongo.createIndexWithOptions(TYPING, new JsonObject().put("updated_at", 1),
            new IndexOptions().expireAfter(TTL_SECONDS, TimeUnit.SECONDS)));
  }

  Future<Void> start(String channelId, String userId, Instant at) {
    return upsert(channelId, userId, at)
        .recover(err -> MongoDocs.isDuplicateKey(err) ? upsert(channelId, userId, at) : Future.failedFuture(err));
  }

  Future<Void> stop(String channelId, String userId) {
    return mongo.removeDocuments(TYPING, key(channelId, userId)).mapEmpty();
  }

  /** Entries of the channel updated after the cutoff, oldest first. */
  Future<List<JsonObject>> since(String channelId, Instant cutoff) {
    return mongo.findWithOptions(TYPING, new JsonObject().put("channel_id", channelId)
            .put("updated_at", new JsonObject().put("$gt", MongoDocs.date(cutoff))),
        new FindOptions().setSort(new JsonObject().put("updated_at", 1)));
  }

  /** Deletes the channel's entries updated at or before the cutoff. */
  Future<Void> purge(String channelId, Instant cutoff) {
    return mongo.removeDocuments(TYPING, new JsonObject().put("channel_id", channelId)
        .put("updated_at", new JsonObject().put("$lte", MongoDocs.date(cutoff)))).mapEmpty();
  }

  private Future<Void> upsert(String channelId, String userId, Instant at) {
    return mongo.updateCollectionWithOptions(TYPING, key(channelId, userId),
            new JsonObject().put("$set", new JsonObject().put("updated_at", MongoDocs.date(at))),
            new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }

  private static JsonObject key(String channelId, String userId) {
    return new JsonObject().put("channel_id", channelId).put("user_id", userId);
  }
}
