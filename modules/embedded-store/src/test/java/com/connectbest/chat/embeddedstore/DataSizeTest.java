package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store does not keep collections' data sizes ({@link OrderedH2Collection#tracksDataSize}): measuring
 * each written document cost every write a BSON encoding and a meta-map write. collStats still answers.
 */
@ExtendWith(VertxExtension.class)
class DataSizeTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("Inserts, updates and deletes leave collStats' size where it was, and its count follows the documents")
  void writesDoNotMeasureDocuments(Vertx vertx) {
    Path file = dir.resolve("size.mv.db");
    try (StoreHarness store = new StoreHarness(vertx, DurableH2Backend.open(file))) {
      MongoClient mongo = store.client;
      for (int i = 0; i < 50; i++) {
        await(mongo.insert("docs", new JsonObject().put("k", i).put("text", "x".repeat(200))));
      }
      await(mongo.updateCollection("docs", new JsonObject().put("k", 1),
          new JsonObject().put("$set", new JsonObject().put("text", "longer ".repeat(100)))));
      await(mongo.removeDocument("docs", new JsonObject().put("k", 2)));
      JsonObject stats = await(mongo.runCommand("collStats", new JsonObject().put("collStats", "docs")));
      assertEquals(49, stats.getInteger("count"));
      assertEquals(0, stats.getInteger("size"), "a tracked size would be about 49 x 230 bytes: " + stats);
    }
    try (StoreHarness reopened = new StoreHarness(vertx, DurableH2Backend.open(file))) {
      assertEquals(49L, await(reopened.client.count("docs", new JsonObject())));
    }
  }
}
