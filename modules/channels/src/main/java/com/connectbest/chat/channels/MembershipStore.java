package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code channel_members} collection (see {@link ChannelStore} for the whole storage layout). Writes go to the
 * store first; reads are answered from the {@link Roster}, which {@link RosterSync} keeps equal to the store.
 */
final class MembershipStore {

  static final String MEMBERS = "channel_members";
  static final String ADMIN = "admin";
  static final String MEMBER = "member";

  private final MongoClient mongo;
  private final Roster roster;
  private final RosterSync sync;

  MembershipStore(MongoClient mongo, Roster roster, RosterSync sync) {
    this.mongo = mongo;
    this.roster = roster;
    this.sync = sync;
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
    return mongo.insert(MEMBERS, member.copy())
        .map(id -> {
          sync.joined(member);
          return true;
        })
        .recover(err -> {
          if (!MongoDocs.isDuplicateKey(err)) {
            sync.reloadSoon();
            return Future.failedFuture(err);
          }
          if (roster.member(channelId, userId) == null) {
            sync.reloadSoon();
          }
          return Future.succeededFuture(false);
        });
  }

  Future<JsonObject> find(String channelId, String userId) {
    return Future.succeededFuture(roster.member(channelId, userId));
  }

  /** Resolves to true when there was such a member. */
  Future<Boolean> remove(String channelId, String userId) {
    return mongo.removeDocument(MEMBERS, key(channelId, userId))
        .map(result -> {
          sync.left(channelId, userId);
          return result != null && result.getRemovedCount() > 0;
        })
        .onFailure(err -> sync.reloadSoon());
  }

  /** Members in joining order. */
  Future<List<JsonObject>> ofChannel(String channelId) {
    return Future.succeededFuture(roster.ofChannel(channelId));
  }

  Future<List<String>> memberIds(String channelId) {
    return Future.succeededFuture(roster.memberIds(channelId));
  }

  Future<List<JsonObject>> ofUser(String userId) {
    return Future.succeededFuture(roster.ofUser(userId));
  }

  /** Member counts of the given channels; channels without members are absent. */
  Future<Map<String, Long>> countByChannel(List<String> channelIds) {
    Map<String, Long> counts = new HashMap<>();
    channelIds.forEach(id -> {
      int count = roster.memberCount(id);
      if (count > 0) {
        counts.put(id, (long) count);
      }
    });
    return Future.succeededFuture(counts);
  }

  private static JsonObject key(String channelId, String userId) {
    return new JsonObject().put("channel_id", channelId).put("user_id", userId);
  }
}
