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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code channel_members} collection (see {@link ChannelStore} for the whole storage layout). Every question is
 * answered by the store through an index, never from a copy in memory: every channels instance then agrees with the
 * store at once, whatever events it missed (no per-membership memory on any node either).
 */
final class MembershipStore {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipStore.class);

  static final String MEMBERS = "channel_members";
  /**
   * Per channel, how many removals of a member it has seen ({@code {_id: channel_id, removals}}; no document: none).
   * The bridge compares it every second instead of reading every member list ({@link #removals}).
   */
  static final String REMOVALS = "channel_member_removals";
  static final String ADMIN = "admin";
  static final String MEMBER = "member";
  private static final JsonObject MEMBER_FIELDS = new JsonObject().put("_id", 0).put("channel_id", 1)
      .put("user_id", 1).put("role", 1).put("joined_at", 1);

  private final MongoClient mongo;
  private final ChannelReaders readers;
  /** Runs between a removal and its count's write: a test hook that halts the process there (a crash). */
  private final Runnable betweenRemovalAndCount;

  MembershipStore(MongoClient mongo, ChannelReaders readers) {
    this(mongo, readers, () -> { });
  }

  MembershipStore(MongoClient mongo, ChannelReaders readers, Runnable betweenRemovalAndCount) {
    this.mongo = mongo;
    this.readers = readers;
    this.betweenRemovalAndCount = betweenRemovalAndCount;
  }

  /**
   * One pair per member (unique: decides races); by user (a user's channels); by channel in joining order, ties by
   * user id (member pages read one range of it, see {@link #page}; its prefix serves every "in joining order" read, so
   * the older {channel_id, joined_at} index is no longer created: stores that have it keep it, unused).
   */
  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(MEMBERS, new JsonObject().put("channel_id", 1).put("user_id", 1),
            new IndexOptions().unique(true))
        .compose(v -> mongo.createIndex(MEMBERS, new JsonObject().put("user_id", 1)))
        .compose(v -> mongo.createIndex(MEMBERS,
            new JsonObject().put("channel_id", 1).put("joined_at", 1).put("user_id", 1)));
  }

  /**
   * At most {@code limit} members of a channel in joining order (ties by user id), strictly after the member who
   * joined at {@code joinedAt} with id {@code userId} (both null: from the first). Two index ranges, no {@code $or}
   * (the embedded store reads an {@code $or} as a scan): the rest of the cursor's own instant, then later instants.
   */
  Future<List<JsonObject>> page(String channelId, Instant joinedAt, String userId, int limit) {
    JsonObject inOrder = new JsonObject().put("joined_at", 1).put("user_id", 1);
    if (joinedAt == null) {
      return mongo.findWithOptions(MEMBERS, new JsonObject().put("channel_id", channelId),
          new FindOptions().setFields(MEMBER_FIELDS).setSort(inOrder).setLimit(limit));
    }
    Future<List<JsonObject>> sameInstant = mongo.findWithOptions(MEMBERS, new JsonObject().put("channel_id", channelId)
            .put("joined_at", MongoDocs.date(joinedAt)).put("user_id", new JsonObject().put("$gt", userId)),
        new FindOptions().setFields(MEMBER_FIELDS).setSort(inOrder).setLimit(limit));
    return sameInstant.compose(first -> first.size() >= limit ? Future.succeededFuture(first)
        : mongo.findWithOptions(MEMBERS, new JsonObject().put("channel_id", channelId)
                .put("joined_at", new JsonObject().put("$gt", MongoDocs.date(joinedAt))),
            new FindOptions().setFields(MEMBER_FIELDS).setSort(inOrder).setLimit(limit - first.size()))
            .map(later -> {
              List<JsonObject> all = new java.util.ArrayList<>(first);
              all.addAll(later);
              return all;
            }));
  }

  /** Adds the member; resolves to false when they already were one (the unique index decides, races included). */
  Future<Boolean> add(String channelId, String userId, String role, Instant now) {
    JsonObject member = new JsonObject().put("channel_id", channelId).put("user_id", userId).put("role", role)
        .put("joined_at", MongoDocs.date(now));
    return mongo.insert(MEMBERS, member)
        .map(true)
        .recover(err -> MongoDocs.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err))
        .onComplete(done -> readers.invalidate(channelId));
  }

  /** The membership document ({channel_id, user_id, role, joined_at}), or null. */
  Future<JsonObject> find(String channelId, String userId) {
    return mongo.findOne(MEMBERS, key(channelId, userId), MEMBER_FIELDS);
  }

  /** The user's memberships among these channels: one run of the unique {channel_id, user_id} index per channel. */
  Future<List<JsonObject>> find(Collection<String> channelIds, String userId) {
    JsonObject query = new JsonObject()
        .put("channel_id", new JsonObject().put("$in", new JsonArray(List.copyOf(channelIds))))
        .put("user_id", userId);
    return mongo.findWithOptions(MEMBERS, query, new FindOptions().setFields(MEMBER_FIELDS));
  }

  /**
   * Resolves to true when there was such a member. The channel's removal count moves after the removal (even when
   * there was none: a retry after a crash between the two writes moves it then), so a bridge that read the count
   * before the removal reads a new one after it. If that second write fails, the bridge's periodic full check
   * (BRIDGE_FULL_RECHECK_MS) still finds the removal.
   */
  Future<Boolean> remove(String channelId, String userId) {
    return mongo.removeDocument(MEMBERS, key(channelId, userId))
        .map(result -> result != null && result.getRemovedCount() > 0)
        .onComplete(done -> readers.invalidate(channelId))
        .onSuccess(removed -> betweenRemovalAndCount.run())
        .compose(removed -> mongo.updateCollectionWithOptions(REMOVALS, ChannelStore.byId(channelId),
                new JsonObject().put("$inc", new JsonObject().put("removals", 1)), new UpdateOptions().setUpsert(true))
            .transform(counted -> {
              if (counted.failed()) {
                LOG.warn("Removal count of channel {} not moved; the bridges' full check will find the removal",
                    channelId, counted.cause());
              }
              return Future.succeededFuture(removed);
            }));
  }

  /** The removal counts of the given channels, by channel id (0 for a channel that never lost a member). */
  Future<Map<String, Long>> removals(List<String> channelIds) {
    JsonArray keys = new JsonArray();
    channelIds.forEach(id -> keys.add(ChannelStore.byId(id).getValue("_id"))); // an ObjectId, or a DM's own id
    return mongo.findWithOptions(REMOVALS, new JsonObject().put("_id", new JsonObject().put("$in", keys)),
            new FindOptions().setFields(new JsonObject().put("removals", 1)))
        .map(found -> {
          Map<String, Long> counts = new HashMap<>();
          channelIds.forEach(id -> counts.put(id, 0L));
          found.forEach(doc -> counts.put(MongoDocs.id(doc), doc.getLong("removals", 0L)));
          return counts;
        });
  }

  /** Ids of the members in joining order. */
  Future<List<String>> memberIds(String channelId) {
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("channel_id", channelId), new FindOptions()
            .setFields(new JsonObject().put("_id", 0).put("user_id", 1)).setSort(new JsonObject().put("joined_at", 1)))
        .map(docs -> docs.stream().map(doc -> doc.getString("user_id")).toList());
  }

  Future<List<JsonObject>> ofUser(String userId) {
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("user_id", userId),
        new FindOptions().setFields(MEMBER_FIELDS));
  }

  /** Member counts of the given channels (one index count each); channels without members are absent. */
  Future<Map<String, Long>> countByChannel(List<String> channelIds) {
    // The map is built from the results once all are in, not filled from each count's callback.
    List<Future<Long>> counts = channelIds.stream()
        .map(id -> mongo.count(MEMBERS, new JsonObject().put("channel_id", id))).toList();
    return Future.all(counts).map(done -> {
      Map<String, Long> byChannel = new HashMap<>();
      for (int i = 0; i < channelIds.size(); i++) {
        long count = counts.get(i).result();
        if (count > 0) {
          byChannel.put(channelIds.get(i), count);
        }
      }
      return byChannel;
    });
  }

  private static JsonObject key(String channelId, String userId) {
    return new JsonObject().put("channel_id", channelId).put("user_id", userId);
  }
}
