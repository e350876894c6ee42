package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code bookmarks} collection: {_id, user_id: hex string, message_id: hex string, created_at}, unique per
 * user and message; listed newest first through {user_id, created_at}.
 */
final class BookmarkStore {

  static final String BOOKMARKS = "bookmarks";

  private final MongoClient mongo;

  BookmarkStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(BOOKMARKS, new JsonObject().put("user_id", 1).put("message_id", 1),
            new IndexOptions().unique(true))
        .compose(v -> mongo.createIndex(BOOKMARKS, new JsonObject().put("user_id", 1).put("created_at", -1)));
  }

  /** Adds the bookmark (a concurrent duplicate counts as added). */
  Future<Void> add(String userId, String messageId, Instant now) {
    return mongo.insert(BOOKMARKS, new JsonObject().put("user_id", userId).put("message_id", messageId)
            .put("created_at", MongoDocs.date(now)))
        .<Void>mapEmpty()
        .recover(error -> MongoDocs.isDuplicateKey(error) ? Future.succeededFuture() : Future.failedFuture(error));
  }

  /** Resolves to true if there was such a bookmark. */
  Future<Boolean> remove(String userId, String messageId) {
    return mongo.removeDocument(BOOKMARKS, new JsonObject().put("user_id", userId).put("message_id", messageId))
        .map(result -> result != null && result.getRemovedCount() > 0);
  }

  /** Which of the messages the user has bookmarked: one read of the unique {user_id, message_id} index. */
  Future<Set<String>> bookmarkedAmong(String userId, List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return mongo.findWithOptions(BOOKMARKS, new JsonObject().put("user_id", userId)
                .put("message_id", new JsonObject().put("$in", new io.vertx.core.json.JsonArray(messageIds))),
            new FindOptions().setFields(new JsonObject().put("message_id", 1)))
        .map(found -> found.stream().map(doc -> doc.getString("message_id")).collect(Collectors.toSet()));
  }

  /** The user's bookmarks, newest first. */
  Future<List<JsonObject>> recent(String userId, int limit) {
    return mongo.findWithOptions(BOOKMARKS, new JsonObject().put("user_id", userId),
        new FindOptions().setSort(new JsonObject().put("created_at", -1).put("_id", -1)).setLimit(limit));
  }
}
