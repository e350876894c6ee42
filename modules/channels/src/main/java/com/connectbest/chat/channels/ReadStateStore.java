package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code user_channel_read} collection: one read position per user and channel (see {@link ChannelStore}).
 * Writes go to the store first; reads are answered from the {@link Roster}.
 */
final class ReadStateStore {

  static final String READS = "user_channel_read";

  private final MongoClient mongo;
  private final Roster roster;
  private final RosterSync sync;

  ReadStateStore(MongoClient mongo, Roster roster, RosterSync sync) {
    this.mongo = mongo;
    this.roster = roster;
    this.sync = sync;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(READS, new JsonObject().put("user_id", 1).put("channel_id", 1),
        new IndexOptions().unique(true));
  }

  /** Upserts the read position; two concurrent first upserts race on the unique index, so one is retried. */
  Future<Void> markRead(String userId, String channelId, Instant at) {
    return upsert(userId, channelId, at)
        .recover(err -> MongoDocs.isDuplicateKey(err) ? upsert(userId, channelId, at) : Future.failedFuture(err))
        .onSuccess(v -> sync.read(channelId, userId, at))
        .onFailure(err -> sync.reloadSoon());
  }

  /** channel id → last_read_at of one user, for the given channels (unread channels are absent). */
  Future<Map<String, Instant>> ofUser(String userId, List<String> channelIds) {
    Map<String, Instant> reads = new HashMap<>();
    channelIds.forEach(channelId -> {
      Instant at = roster.lastRead(channelId, userId);
      if (at != null) {
        reads.put(channelId, at);
      }
    });
    return Future.succeededFuture(reads);
  }

  /** The members' read positions in ascending order (those who never read are left out). Shared: not to be changed. */
  Future<Instant[]> sortedOfMembers(String channelId) {
    return Future.succeededFuture(roster.sortedMemberReads(channelId));
  }

  /** user id → last_read_at of those of the given users who are members and have read the channel. */
  Future<Map<String, Instant>> ofMembers(String channelId, Collection<String> userIds) {
    Map<String, Instant> reads = new HashMap<>();
    userIds.forEach(userId -> {
      Instant at = roster.memberRead(channelId, userId);
      if (at != null) {
        reads.put(userId, at);
      }
    });
    return Future.succeededFuture(reads);
  }

  /** user id → last_read_at, for everyone who has read the channel. */
  Future<Map<String, Instant>> ofChannel(String channelId) {
    return Future.succeededFuture(roster.readsOf(channelId));
  }

  private Future<Void> upsert(String userId, String channelId, Instant at) {
    return mongo.updateCollectionWithOptions(READS,
            new JsonObject().put("user_id", userId).put("channel_id", channelId),
            new JsonObject().put("$set", new JsonObject().put("last_read_at", MongoDocs.date(at))),
            new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }
}
