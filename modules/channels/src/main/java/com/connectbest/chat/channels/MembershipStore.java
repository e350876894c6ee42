package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code channel_members} collection (see {@link ChannelStore} for the whole storage layout). */
final class MembershipStore {

  static final String MEMBERS = "channel_members";
  static final String ADMIN = "admin";
  static final String MEMBER = "member";

  private final MongoClient mongo;

  MembershipStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(MEMBERS, new JsonObject().put("channel_id", 1).put("user_id", 1),
            new IndexOptions().unique(true))
        .compose(v -> mongo.createIndex(MEMBERS, new JsonObject().put("user_id", 1)));
  }

  /** Adds the member; resolves to false when they already were one (the unique index decides, races included). */
  Future<Boolean> add(String channelId, String userId, String role, Instant now) {
    JsonObject member = new JsonObject().put("channel_id", channelId).put("user_id", userId).put("role", role)
        .put("joined_at", MongoDocs.date(now));
    return mongo.insert(MEMBERS, member).map(id -> true)
        .recover(err -> MongoDocs.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  Future<JsonObject> find(String channelId, String userId) {
    return mongo.findOne(MEMBERS, key(channelId, userId), null);
  }

  /** Resolves to true when there was such a member. */
  Future<Boolean> remove(String channelId, String userId) {
    return mongo.removeDocument(MEMBERS, key(channelId, userId))
        .map(result -> result != null && result.getRemovedCount() > 0);
  }

  Future<List<JsonObject>> ofChannel(String channelId) {
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("channel_id", channelId),
        new FindOptions().setSort(new JsonObject().put("joined_at", 1)));
  }

  Future<List<JsonObject>> ofUser(String userId) {
    return mongo.find(MEMBERS, new JsonObject().put("user_id", userId));
  }

  /** Member counts of the given channels; channels without members are absent. */
  Future<Map<String, Long>> countByChannel(List<String> channelIds) {
    if (channelIds.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    JsonArray pipeline = new JsonArray()
        .add(new JsonObject().put("$match",
            new JsonObject().put("channel_id", new JsonObject().put("$in", new JsonArray(channelIds)))))
        .add(new JsonObject().put("$group",
            new JsonObject().put("_id", "$channel_id").put("count", new JsonObject().put("$sum", 1))));
    return mongo.aggregate(MEMBERS, pipeline).collect(Collectors.toList())
        .map(rows -> rows.stream().collect(Collectors.toMap(MongoDocs::id,
            row -> ((Number) row.getValue("count")).longValue(), Long::sum)));
  }

  private static JsonObject key(String channelId, String userId) {
    return new JsonObject().put("channel_id", channelId).put("user_id", userId);
  }
}
