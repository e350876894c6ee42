package com.connectbest.chat.auth;

import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.util.List;

/**
 * The {@code users} collection, shared with NextAuth: snake_case fields, lower-cased e-mails, bcrypt
 * {@code password_hash}, BSON dates.
 */
final class UserStore {

  static final String USERS = "users";

  private final MongoClient mongo;

  UserStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(USERS, new JsonObject().put("email", 1), new IndexOptions().unique(true))
        .compose(v -> mongo.createIndexWithOptions(USERS, new JsonObject().put("username", 1),
            new IndexOptions().unique(true).sparse(true)))
        .compose(v -> mongo.createIndex(USERS, new JsonObject().put("verification_token", 1)))
        .compose(v -> mongo.createIndexWithOptions(USERS, new JsonObject().put("bot_token_hash", 1),
            new IndexOptions().unique(true).sparse(true)))
        .compose(v -> mongo.createIndex(USERS, new JsonObject().put("bot_owner", 1)))
        .compose(v -> mongo.createIndex(USERS, new JsonObject().put("full_name", 1).put("_id", 1)));
  }

  Future<String> insert(JsonObject user) {
    return mongo.insert(USERS, user);
  }

  Future<JsonObject> findById(String id) {
    return mongo.findOne(USERS, MongoDocs.byId(id), null);
  }

  /** The bot account whose token has this SHA-256, or null (a revoked bot has no token hash). */
  Future<JsonObject> findByBotTokenHash(String tokenHash) {
    return mongo.findOne(USERS, new JsonObject().put("bot_token_hash", tokenHash), null);
  }

  /** Bot accounts made over REST ({@code bot_owner} set; hooks' bots have none), oldest first. */
  Future<java.util.List<JsonObject>> restBots(int limit) {
    return mongo.findWithOptions(USERS, new JsonObject().put("bot_owner", new JsonObject().put("$exists", true)),
        new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(limit));
  }

  Future<JsonObject> findByEmail(String email) {
    return mongo.findOne(USERS, new JsonObject().put("email", email), null);
  }

  Future<Boolean> usernameTaken(String username) {
    return mongo.countWithOptions(USERS, new JsonObject().put("username", username), MongoClients.boundedCount()).map(count -> count > 0);
  }

  Future<JsonObject> findByVerificationToken(String tokenHash, Instant now) {
    return mongo.findOne(USERS, new JsonObject()
        .put("verification_token", tokenHash)
        .put("verification_expires", new JsonObject().put("$gt", MongoDocs.date(now))), null);
  }

  /** Sets the given fields (and updated_at); resolves to the updated document, or null if there is none. */
  Future<JsonObject> update(String id, JsonObject set, JsonObject unset) {
    JsonObject update = new JsonObject().put("$set", set.copy().put("updated_at", MongoDocs.date(Instant.now())));
    if (unset != null && !unset.isEmpty()) {
      update.put("$unset", unset);
    }
    return mongo.findOneAndUpdateWithOptions(USERS, MongoDocs.byId(id), update,
        new io.vertx.ext.mongo.FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  /**
   * Like {@link #update}, but only if the document also matches {@code condition}, with an optional {@code $pull}:
   * the compare-and-set that makes one-time codes single-use. Resolves to the updated document, or null when the
   * condition no longer holds.
   */
  Future<JsonObject> updateIf(String id, JsonObject condition, JsonObject set, JsonObject unset, JsonObject pull) {
    JsonObject query = MongoDocs.byId(id);
    if (condition != null && !condition.isEmpty()) {
      query = new JsonObject().put("$and", new JsonArray().add(query).add(condition));
    }
    JsonObject update = new JsonObject().put("$set", set.copy().put("updated_at", MongoDocs.date(Instant.now())));
    if (unset != null && !unset.isEmpty()) {
      update.put("$unset", unset);
    }
    if (pull != null && !pull.isEmpty()) {
      update.put("$pull", pull);
    }
    return mongo.findOneAndUpdateWithOptions(USERS, query, update,
        new FindOptions(), new UpdateOptions().setReturningNewDocument(true));
  }

  Future<Void> grantAdmin(List<String> emails) {
    if (emails.isEmpty()) {
      return Future.succeededFuture();
    }
    return mongo.updateCollectionWithOptions(USERS,
            new JsonObject().put("email", new JsonObject().put("$in", new JsonArray(emails))),
            new JsonObject().put("$set", new JsonObject().put("role", "admin")),
            new UpdateOptions().setMulti(true))
        .mapEmpty();
  }

  /**
   * Users in directory order (name, then id), strictly after the given position when there is one: a keyset page of
   * the {full_name, _id} index. Users without a name sort first, as MongoDB sorts a missing field.
   */
  Future<List<JsonObject>> listAll(String afterName, String afterId, int limit) {
    JsonObject query = new JsonObject();
    if (afterId != null) {
      JsonObject sameName = new JsonObject().put("full_name", afterName)
          .put("_id", new JsonObject().put("$gt", MongoDocs.oid(afterId)));
      JsonObject later = new JsonObject().put("full_name",
          afterName == null ? new JsonObject().put("$gte", "") : new JsonObject().put("$gt", afterName));
      query.put("$or", new JsonArray().add(sameName).add(later));
    }
    return mongo.findWithOptions(USERS, query,
        new FindOptions().setSort(new JsonObject().put("full_name", 1).put("_id", 1)).setLimit(limit));
  }

  Future<Long> count(JsonObject query) {
    return mongo.countWithOptions(USERS, query, MongoClients.boundedCount());
  }

  /** Case-insensitive substring search on name, e-mail and username; the input is escaped, never a raw regex. */
  Future<List<JsonObject>> search(String text, int limit) {
    JsonObject regex = MongoDocs.containsIgnoreCase(text);
    JsonObject query = new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("full_name", regex))
        .add(new JsonObject().put("email", regex))
        .add(new JsonObject().put("username", regex)));
    return mongo.findWithOptions(USERS, query,
        new FindOptions().setSort(new JsonObject().put("full_name", 1)).setLimit(limit));
  }

  Future<List<JsonObject>> findByIds(List<String> ids) {
    JsonArray oids = new JsonArray();
    ids.forEach(id -> oids.add(MongoDocs.oid(id)));
    return mongo.find(USERS, new JsonObject().put("_id", new JsonObject().put("$in", oids)));
  }
}
