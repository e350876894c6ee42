package com.connectbest.chat.channels;

import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.Collection;
import java.util.List;

/**
 * The collections owned by the channels service (nobody else reads or writes them):
 * <ul>
 *   <li>{@code channels} {_id: ObjectId (DMs: the string {@code dm_<a>_<b>}), name, name_lower (unique; sparse,
 *   since documents of the original service lack it), description, type public|private|dm, created_by: hex string
 *   or null, created_at: date, is_deleted: bool} — this class;</li>
 *   <li>{@code channel_members} {channel_id, user_id: strings, role admin|member, joined_at: date}, unique on
 *   {channel_id, user_id}, indexed on user_id and on {channel_id, joined_at} — {@link MembershipStore};</li>
 *   <li>{@code channel_member_removals} {_id: the channel's id as in {@code channels}, removals: how many members it
 *   lost}, read by {@code _id} only — {@link MembershipStore};</li>
 *   <li>{@code user_channel_read} {user_id, channel_id: strings, last_read_at: date}, unique on {user_id,
 *   channel_id}, indexed on {channel_id, last_read_at} — {@link ReadStateStore}.</li>
 * </ul>
 * Typing signals are never stored: see {@link TypingBoard}. Reference fields are 24-hex strings (or DM ids), dates BSON dates. Only query features that both a real MongoDB
 * and the embedded server support are used.
 */
final class ChannelStore {

  static final String CHANNELS = "channels";

  /** Live, ordinary channels: not deleted, not direct messages (by type, or by name for older documents). */
  static final JsonObject ORDINARY = new JsonObject()
      .put("is_deleted", new JsonObject().put("$ne", true))
      .put("type", new JsonObject().put("$ne", "dm"))
      .put("name", new JsonObject().put("$regex", "^(?!dm_)"));

  private final MongoClient mongo;

  ChannelStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(CHANNELS, new JsonObject().put("name_lower", 1),
        new IndexOptions().unique(true).sparse(true));
  }

  /** Inserts the channel; resolves to its id (a duplicate name fails with a duplicate-key error). */
  Future<String> insert(JsonObject channel) {
    return mongo.insert(CHANNELS, channel).map(id -> id != null ? id : MongoDocs.id(channel));
  }

  Future<Void> delete(String id) {
    return mongo.removeDocument(CHANNELS, byId(id)).mapEmpty();
  }

  /** A channel that is not deleted (DMs included), or null. */
  Future<JsonObject> findLive(String id) {
    return mongo.findOne(CHANNELS, byId(id).put("is_deleted", new JsonObject().put("$ne", true)), null);
  }

  /** The channels among these ids (ObjectId hex or DM ids) that are not deleted: one {@code _id} index read. */
  Future<List<JsonObject>> findLive(Collection<String> ids) {
    JsonArray keys = new JsonArray();
    ids.forEach(id -> keys.add(byId(id).getValue("_id")));
    return mongo.findWithOptions(CHANNELS, new JsonObject().put("_id", new JsonObject().put("$in", keys))
        .put("is_deleted", new JsonObject().put("$ne", true)), new FindOptions().setFields(new JsonObject()
        .put("type", 1).put("name", 1)));
  }

  /** Any channel whose name is taken, case-insensitively (older documents have only a lower-case name). */
  Future<JsonObject> findByName(String nameLower) {
    return mongo.findOne(CHANNELS, new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("name_lower", nameLower))
        .add(new JsonObject().put("name", nameLower))), null);
  }

  /** The stored documents of these ObjectId hex ids, whatever they are: one {@code _id} index read. */
  Future<List<JsonObject>> findByIds(List<String> ids) {
    JsonArray oids = new JsonArray();
    ids.forEach(id -> oids.add(MongoDocs.oid(id)));
    return mongo.find(CHANNELS, new JsonObject().put("_id", new JsonObject().put("$in", oids)));
  }

  /**
   * {@link #ORDINARY} evaluated in memory (channel lists, {@link ListedChannel}), as MongoDB evaluates it: a name that
   * is not a string fails the regex.
   */
  static boolean isOrdinary(JsonObject doc) {
    return !Boolean.TRUE.equals(doc.getValue("is_deleted")) && !"dm".equals(doc.getValue("type"))
        && doc.getValue("name") instanceof String name && !name.startsWith(ChannelRules.DM_PREFIX);
  }

  Future<List<JsonObject>> listOrdinary() {
    return mongo.findWithOptions(CHANNELS, ORDINARY.copy(),
        new FindOptions().setSort(new JsonObject().put("name_lower", 1).put("name", 1)));
  }

  Future<Long> countOrdinary() {
    return mongo.count(CHANNELS, ORDINARY.copy());
  }

  /** ObjectId hex ids query as ObjectIds, DM ids as strings. */
  static JsonObject byId(String id) {
    return Ids.isObjectId(id) ? MongoDocs.byId(id) : new JsonObject().put("_id", id);
  }
}
