package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/**
 * The {@code incoming_hooks} collection: {@code {_id, channel_id, token_hash, bot_user_id, name, icon_url,
 * created_by, created_at}}. Only the token's SHA-256 is stored; it is looked up through its unique index.
 */
final class HookStore {

  static final String HOOKS = "incoming_hooks";

  private final MongoClient mongo;

  HookStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(HOOKS, new JsonObject().put("token_hash", 1), new IndexOptions().unique(true))
        .compose(v -> mongo.createIndex(HOOKS, new JsonObject().put("channel_id", 1).put("created_at", 1)));
  }

  Future<String> insert(JsonObject hook) {
    return mongo.insert(HOOKS, hook);
  }

  Future<JsonObject> byTokenHash(String tokenHash) {
    return mongo.findOne(HOOKS, new JsonObject().put("token_hash", tokenHash), null);
  }

  /** A channel's hooks, oldest first (a channel has a handful). */
  Future<List<JsonObject>> ofChannel(String channelId) {
    return mongo.findWithOptions(HOOKS, new JsonObject().put("channel_id", channelId),
        new FindOptions().setSort(new JsonObject().put("created_at", 1)).setLimit(1_000));
  }

  /** Removes the channel's hook; resolves to the removed document, or null when there was none. */
  Future<JsonObject> remove(String channelId, String hookId) {
    return mongo.findOneAndDelete(HOOKS, MongoDocs.byId(hookId).put("channel_id", channelId));
  }
}
