package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code message_reactions} collection: {_id, message_id: hex string, user_id: hex string, emoji, created_at},
 * one document per user, message and emoji (unique index {message_id, user_id, emoji}, which also serves the
 * per-message lookups).
 */
final class ReactionStore {

  static final String REACTIONS = "message_reactions";

  private final MongoClient mongo;

  ReactionStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(REACTIONS,
        new JsonObject().put("message_id", 1).put("user_id", 1).put("emoji", 1), new IndexOptions().unique(true));
  }

  /** Resolves to true if the reaction is new, false if the user had already reacted so. */
  Future<Boolean> add(String messageId, String userId, String emoji, Instant now) {
    JsonObject doc = new JsonObject().put("message_id", messageId).put("user_id", userId).put("emoji", emoji)
        .put("created_at", MongoDocs.date(now));
    return mongo.insert(REACTIONS, doc).map(id -> true)
        .recover(error -> MongoDocs.isDuplicateKey(error) ? Future.succeededFuture(false) : Future.failedFuture(error));
  }

  /** Resolves to true if there was such a reaction. */
  Future<Boolean> remove(String messageId, String userId, String emoji) {
    return mongo.removeDocument(REACTIONS,
            new JsonObject().put("message_id", messageId).put("user_id", userId).put("emoji", emoji))
        .map(result -> result != null && result.getRemovedCount() > 0);
  }

  /** Removes all of the user's reactions to a message; resolves to the emojis removed, in the order they were added. */
  Future<List<String>> removeAll(String messageId, String userId) {
    JsonObject query = new JsonObject().put("message_id", messageId).put("user_id", userId);
    return mongo.findWithOptions(REACTIONS, query,
            new FindOptions().setSort(new JsonObject().put("created_at", 1).put("_id", 1)))
        .compose(found -> found.isEmpty() ? Future.succeededFuture(List.<String>of())
            : mongo.removeDocuments(REACTIONS, query)
                .map(removed -> found.stream().map(doc -> doc.getString("emoji")).toList()));
  }

  /**
   * The reactions of several messages in one query, aggregated per message into
   * {@code [{emoji, count, users}]}, emojis in the order they were first used.
   */
  Future<Map<String, JsonArray>> summaries(List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return mongo.findWithOptions(REACTIONS,
            new JsonObject().put("message_id", new JsonObject().put("$in", new JsonArray(messageIds))),
            // only what the summary shows: a company channel's page has hundreds of reactions, each made a JsonObject
            new FindOptions().setSort(new JsonObject().put("created_at", 1).put("_id", 1)).setFields(new JsonObject()
                .put("_id", 0).put("message_id", 1).put("emoji", 1).put("user_id", 1)))
        .map(ReactionStore::summarize);
  }

  Future<JsonArray> summary(String messageId) {
    return summaries(List.of(messageId)).map(all -> all.getOrDefault(messageId, new JsonArray()));
  }

  private static Map<String, JsonArray> summarize(List<JsonObject> reactions) {
    Map<String, Map<String, JsonArray>> usersByEmoji = new LinkedHashMap<>();
    for (JsonObject reaction : reactions) {
      usersByEmoji.computeIfAbsent(reaction.getString("message_id"), id -> new LinkedHashMap<>())
          .computeIfAbsent(reaction.getString("emoji"), emoji -> new JsonArray())
          .add(reaction.getString("user_id"));
    }
    Map<String, JsonArray> summaries = new LinkedHashMap<>();
    usersByEmoji.forEach((messageId, emojis) -> {
      JsonArray summary = new JsonArray();
      emojis.forEach((emoji, users) ->
          summary.add(new JsonObject().put("emoji", emoji).put("count", users.size()).put("users", users)));
      summaries.put(messageId, summary);
    });
    return summaries;
  }
}
