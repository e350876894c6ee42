package com.connectbest.chat.uploads;

import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;

/**
 * The {@code message_files} collection, one document per stored object:
 * <pre>
 * {_id, key: "avatars/&lt;uuid&gt;.&lt;ext&gt;" | "messages/&lt;uuid&gt;.&lt;ext&gt;" (unique), kind: avatar|message,
 *  owner_id: hex user id, original_name: sanitised client name, content_type: of the verified format,
 *  size: bytes, created_at: date}
 * </pre>
 */
final class FileStore {

  static final String FILES = "message_files";

  private final MongoClient mongo;

  FileStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(FILES, new JsonObject().put("key", 1), new IndexOptions().unique(true))
        .compose(v -> mongo.createIndex(FILES, new JsonObject().put("owner_id", 1)));
  }

  Future<Void> insert(String key, FileKind kind, String ownerId, String originalName, String contentType, long size,
                      Instant now) {
    JsonObject doc = new JsonObject()
        .put("key", key)
        .put("kind", kind.id())
        .put("owner_id", ownerId)
        .put("original_name", originalName)
        .put("content_type", contentType)
        .put("size", size)
        .put("created_at", MongoDocs.date(now));
    return mongo.insert(FILES, doc).mapEmpty();
  }

  Future<JsonObject> findByKey(String key) {
    return mongo.findOne(FILES, new JsonObject().put("key", key), null);
  }

  /** {@code {files, bytes}}: everything recorded, one aggregation. */
  Future<JsonObject> usage() {
    JsonArray pipeline = new JsonArray().add(new JsonObject().put("$group", new JsonObject().put("_id", null)
        .put("files", new JsonObject().put("$sum", 1)).put("bytes", new JsonObject().put("$sum", "$size"))));
    return MongoClients.aggregate(mongo, FILES, pipeline).map(rows -> {
      JsonObject totals = rows.isEmpty() ? new JsonObject() : rows.get(0);
      return new JsonObject().put("files", ((Number) totals.getValue("files", 0)).longValue())
          .put("bytes", ((Number) totals.getValue("bytes", 0)).longValue());
    });
  }

  Future<Void> deleteByKey(String key) {
    return mongo.removeDocument(FILES, new JsonObject().put("key", key)).mapEmpty();
  }
}
