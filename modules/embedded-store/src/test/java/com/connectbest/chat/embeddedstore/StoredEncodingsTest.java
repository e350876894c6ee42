package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reused document encodings ({@link StoredEncodings}) against every kind of write: each write is committed on its own,
 * so later commits rewrite leaves whose other documents answer from the cache, and the file read back must hold
 * exactly what the live store answered. Fails with stale bytes whether or not the suite's encoding check is on.
 */
@ExtendWith(VertxExtension.class)
class StoredEncodingsTest {

  private static final String DOCS = "docs";

  @TempDir
  Path dir;

  @Test
  @DisplayName("After 3,000 random inserts, updates, replaces, upserts, finds-and-modifies and deletes, the reopened file holds what the store answered")
  void fileMatchesTheLiveStoreAfterEveryKindOfWrite(Vertx vertx) {
    Path file = dir.resolve("encodings.mv.db");
    List<JsonObject> live;
    try (StoreHarness store = new StoreHarness(vertx, DurableH2Backend.open(file))) {
      MongoClient mongo = store.client;
      Random random = new Random(2026);
      for (int k = 0; k < 60; k++) {
        await(mongo.insert(DOCS, fresh(k, random)));
      }
      for (int i = 0; i < 3_000; i++) {
        int k = random.nextInt(80);
        JsonObject one = new JsonObject().put("k", k);
        switch (random.nextInt(13)) {
          case 0 -> await(mongo.updateCollection(DOCS, one, set("nested.a", random.nextInt())));
          case 1 -> await(mongo.updateCollection(DOCS, one, op("$inc", "n", 1)));
          case 2 -> await(mongo.updateCollection(DOCS, one, op("$push", "tags", "t" + random.nextInt(5))));
          case 3 -> await(mongo.updateCollection(DOCS, one, op("$pull", "tags", "t" + random.nextInt(5))));
          case 4 -> await(mongo.updateCollection(DOCS, one, op("$unset", "s", "")));
          case 5 -> await(mongo.updateCollection(DOCS, one, set("s", "text " + random.nextInt(1000))));
          case 6 -> await(mongo.replaceDocuments(DOCS, one, fresh(k, random)));
          case 7 -> await(mongo.findOneAndUpdate(DOCS, one, op("$addToSet", "tags", "set" + random.nextInt(3))));
          case 8 -> await(mongo.updateCollectionWithOptions(DOCS, one, set("upserted", i),
              new UpdateOptions().setUpsert(true)));
          case 9 -> await(mongo.updateCollectionWithOptions(DOCS,
              new JsonObject().put("k", new JsonObject().put("$lt", random.nextInt(30))), op("$inc", "bulk", 1),
              new UpdateOptions().setMulti(true)));
          case 10 -> await(mongo.findOneAndReplace(DOCS, one, fresh(k, random)));
          case 11 -> await(mongo.findOneAndDelete(DOCS, one));
          default -> await(mongo.removeDocument(DOCS, one));
        }
      }
      live = all(mongo);
    }
    try (StoreHarness reopened = new StoreHarness(vertx, DurableH2Backend.open(file))) {
      List<JsonObject> fromFile = all(reopened.client);
      assertTrue(live.size() > 15, "the run kept documents to compare: " + live.size());
      assertEquals(live, fromFile);
    }
  }

  private static List<JsonObject> all(MongoClient mongo) {
    return await(mongo.findWithOptions(DOCS, new JsonObject(),
        new FindOptions().setSort(new JsonObject().put("k", 1)).setLimit(1000)));
  }

  private static JsonObject fresh(int k, Random random) {
    return new JsonObject().put("k", k).put("n", random.nextInt(100)).put("s", "doc " + k)
        .put("tags", new JsonArray().add("t" + random.nextInt(5)))
        .put("nested", new JsonObject().put("a", random.nextInt()).put("b", new JsonArray().add(1).add(2)));
  }

  private static JsonObject set(String field, Object value) {
    return op("$set", field, value);
  }

  private static JsonObject op(String operator, String field, Object value) {
    return new JsonObject().put(operator, new JsonObject().put(field, value));
  }
}
