package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partial indexes ({@code partialFilterExpression}): the library stores the option and ignores it; the ordered
 * indexes hold only the documents the filter matches, are read only by queries that imply it, and keep their filter
 * across a restart. The reference for every answer is the library's memory backend, which scans.
 */
@ExtendWith(VertxExtension.class)
class PartialIndexTest {

  private static final JsonObject STRING = new JsonObject().put("$gt", "");

  @TempDir
  Path dir;

  private static void declare(MongoClient client) {
    await(client.createIndex("messages", new JsonObject().put("channel_id", 1).put("_id", -1)));
    await(client.createIndexWithOptions("messages", new JsonObject().put("parent_message_id", 1).put("_id", 1),
        new IndexOptions().partialFilterExpression(new JsonObject().put("parent_message_id", STRING))));
    await(client.createIndexWithOptions("messages",
        new JsonObject().put("channel_id", 1).put("is_pinned", 1).put("pinned_at", -1),
        new IndexOptions().partialFilterExpression(new JsonObject().put("is_pinned", true))));
    await(client.createIndexWithOptions("messages", new JsonObject().put("file_keys", 1),
        new IndexOptions().partialFilterExpression(new JsonObject().put("file_keys", STRING))));
  }

  private static List<JsonObject> messages(int count, long seed) {
    Random random = new Random(seed);
    List<JsonObject> documents = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = new ObjectId().getHexData();
      ids.add(id);
      boolean reply = i > 5 && random.nextInt(4) == 0;
      JsonArray files = new JsonArray();
      if (random.nextInt(6) == 0) {
        files.add("f" + random.nextInt(5));
      }
      documents.add(new JsonObject().put("_id", new JsonObject().put("$oid", id))
          .put("channel_id", "c" + random.nextInt(4))
          .put("parent_message_id", reply ? ids.get(random.nextInt(5)) : null)
          .put("is_pinned", random.nextInt(8) == 0)
          .put("pinned_at", i)
          .put("is_deleted", random.nextInt(10) == 0)
          .put("file_keys", files));
    }
    return documents;
  }

  private static void insert(MongoClient client, List<JsonObject> documents) {
    List<Future<String>> inserts = documents.stream().map(doc -> client.insert("messages", doc.copy())).toList();
    inserts.forEach(StoreHarness::await);
  }

  private static OrderedH2Collection collection(DurableH2Backend backend) {
    return (OrderedH2Collection) backend.resolveDatabase("test").resolveCollection("messages", true);
  }

  private static OrderedIndex index(DurableH2Backend backend, String name) {
    for (Index<Object> index : collection(backend).getIndexes()) {
      if (index.getName().equals(name)) {
        return (OrderedIndex) index;
      }
    }
    throw new AssertionError("no index " + name);
  }

  private static long count(MongoClient client, JsonObject query) {
    return await(client.count("messages", query));
  }

  private static List<String> ids(MongoClient client, JsonObject query, JsonObject sort) {
    return await(client.findWithOptions("messages", query, new FindOptions().setSort(sort))).stream()
        .map(doc -> doc.getString("_id")).toList();
  }

  @Test
  @DisplayName("A partial index holds only the documents its filter matches, and follows them in and out as they change")
  void holdsOnlyMatchingDocuments(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.open(dir.resolve("partial.mv.db"));
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      declare(store.client);
      insert(store.client, messages(600, 1));
      JsonObject replies = new JsonObject().put("parent_message_id", new JsonObject().put("$type", "string"));
      JsonObject pinned = new JsonObject().put("is_pinned", true);
      JsonObject withFiles = new JsonObject().put("file_keys.0", new JsonObject().put("$exists", true));
      assertEquals(count(store.client, replies), index(backend, "parent_message_id_1__id_1").getCount());
      assertEquals(count(store.client, pinned), index(backend, "channel_id_1_is_pinned_1_pinned_at_-1").getCount());
      assertEquals(count(store.client, withFiles), index(backend, "file_keys_1").getCount());
      assertTrue(index(backend, "parent_message_id_1__id_1").getCount() < 600 / 2, "top-level messages are not held");

      long pinnedBefore = index(backend, "channel_id_1_is_pinned_1_pinned_at_-1").getCount();
      await(store.client.updateCollectionWithOptions("messages", new JsonObject().put("is_pinned", false)
              .put("channel_id", "c1"), new JsonObject().put("$set", new JsonObject().put("is_pinned", true)),
          new io.vertx.ext.mongo.UpdateOptions().setMulti(true)));
      long pinnedAfter = index(backend, "channel_id_1_is_pinned_1_pinned_at_-1").getCount();
      assertEquals(count(store.client, pinned), pinnedAfter, "pinned documents come in");
      assertTrue(pinnedAfter > pinnedBefore);
      await(store.client.updateCollectionWithOptions("messages", new JsonObject().put("channel_id", "c1"),
          new JsonObject().put("$set", new JsonObject().put("is_pinned", false).put("file_keys", new JsonArray())),
          new io.vertx.ext.mongo.UpdateOptions().setMulti(true)));
      assertEquals(count(store.client, pinned), index(backend, "channel_id_1_is_pinned_1_pinned_at_-1").getCount(),
          "unpinned documents go out");
      assertEquals(count(store.client, withFiles), index(backend, "file_keys_1").getCount(),
          "documents whose files were erased go out");
      await(store.client.removeDocuments("messages", new JsonObject().put("parent_message_id", new JsonObject()
          .put("$type", "string")).put("channel_id", "c2")));
      assertEquals(count(store.client, replies), index(backend, "parent_message_id_1__id_1").getCount(),
          "deleted replies go out");
    }
  }

  @Test
  @DisplayName("A query reads a partial index only when it implies the filter, and answers as a full scan does")
  void readOnlyByQueriesThatImplyTheFilter(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.inMemory();
    List<JsonObject> documents = messages(900, 2);
    try (StoreHarness indexed = new StoreHarness(vertx, backend);
         StoreHarness reference = new StoreHarness(vertx, new MemoryBackend())) {
      for (StoreHarness store : List.of(indexed, reference)) {
        declare(store.client);
        insert(store.client, documents);
      }
      String parent = documents.get(2).getJsonObject("_id").getString("$oid");
      String other = documents.get(3).getJsonObject("_id").getString("$oid");
      JsonObject notDeleted = new JsonObject().put("$ne", true);
      List<JsonObject> queries = List.of(
          new JsonObject().put("parent_message_id", parent).put("is_deleted", notDeleted),
          new JsonObject().put("parent_message_id", new JsonObject().put("$in", new JsonArray().add(parent).add(other))),
          new JsonObject().put("channel_id", "c3").put("is_pinned", true).put("is_deleted", notDeleted),
          new JsonObject().put("file_keys", "f2").put("is_deleted", notDeleted),
          // not implied: the index must not be read, whatever the answer
          new JsonObject().put("parent_message_id", null),
          new JsonObject().put("parent_message_id", new JsonObject().put("$in", new JsonArray().add(parent).addNull())),
          new JsonObject().put("channel_id", "c3").put("is_pinned", false),
          new JsonObject().put("channel_id", "c3").put("is_pinned", new JsonObject().put("$ne", false)),
          new JsonObject().put("file_keys", new JsonObject().put("$size", 0)));
      for (JsonObject query : queries) {
        JsonObject sort = new JsonObject().put("_id", 1);
        assertEquals(ids(reference.client, query, sort), ids(indexed.client, query, sort), query::encode);
        assertEquals(count(reference.client, query), count(indexed.client, query), query::encode);
      }

      OrderedH2Collection messages = collection(backend);
      IndexScan.Plan thread = messages.plan(new Document("parent_message_id", parent), new Document("_id", 1), 0, 100);
      assertNotNull(thread);
      assertEquals("parent_message_id_1__id_1", thread.index().getName());
      IndexScan.Plan threads = messages.plan(new Document("parent_message_id",
          new Document("$in", List.of(parent, other))), null, 0, 0);
      assertEquals("parent_message_id_1__id_1", threads.index().getName());
      IndexScan.Plan pins = messages.plan(new Document("channel_id", "c3").append("is_pinned", true),
          new Document("pinned_at", -1), 0, 20);
      assertEquals("channel_id_1_is_pinned_1_pinned_at_-1", pins.index().getName());
      assertEquals("file_keys_1", messages.plan(new Document("file_keys", "f2"), null, 0, 0).index().getName());

      IndexScan.Plan topLevel = messages.plan(new Document("parent_message_id", null), null, 0, 0);
      assertTrue(topLevel == null || !topLevel.index().getName().equals("parent_message_id_1__id_1"),
          "documents without a parent are not in the index");
      IndexScan.Plan unpinned = messages.plan(new Document("channel_id", "c3").append("is_pinned", false), null, 0, 0);
      assertNotNull(unpinned, "the channel's full index still bounds the read");
      assertNotEquals("channel_id_1_is_pinned_1_pinned_at_-1", unpinned.index().getName());
    }
  }

  @Test
  @DisplayName("A partial index keeps its filter when the file is opened again")
  void filterSurvivesReopening(Vertx vertx) {
    Path file = dir.resolve("reopened.mv.db");
    try (StoreHarness store = new StoreHarness(vertx, DurableH2Backend.open(file))) {
      declare(store.client);
      insert(store.client, messages(200, 3));
    }
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      OrderedIndex pins = index(backend, "channel_id_1_is_pinned_1_pinned_at_-1");
      assertEquals(new Document("is_pinned", true), pins.partialFilter());
      long before = pins.getCount();
      await(store.client.insert("messages", new JsonObject().put("channel_id", "c0").put("is_pinned", false)));
      assertEquals(before, pins.getCount(), "an unpinned message is still left out");
      await(store.client.insert("messages", new JsonObject().put("channel_id", "c0").put("is_pinned", true)));
      assertEquals(before + 1, pins.getCount());
      assertEquals(count(store.client, new JsonObject().put("is_pinned", true)), pins.getCount());
      assertEquals("channel_id_1_is_pinned_1_pinned_at_-1", collection(backend)
          .plan(new Document("channel_id", "c0").append("is_pinned", true), null, 0, 0).index().getName());
      JsonArray listed = await(store.client.listIndexes("messages"));
      assertTrue(listed.stream().map(JsonObject.class::cast)
          .anyMatch(index -> new JsonObject().put("is_pinned", true).equals(index.getJsonObject("partialFilterExpression"))),
          "listIndexes shows the filter: " + listed.encode());
    }
  }

  @Test
  @DisplayName("The filters' quick decision agrees with the library's matcher on 20,000 random documents")
  void quickDecisionAgreesWithTheMatcher() {
    Random random = new Random(11);
    Object[] values = {null, true, false, "", "a", "b", "\uD83D\uDE00", 0, 1.5, List.of(), List.of("a"), List.of(""),
        List.of(1, "b"), List.of(List.of("a")), new Document("x", 1), de.bwaldvogel.mongo.backend.Missing.getInstance()};
    List<Document> filters = List.of(new Document("f", true), new Document("f", "a"),
        new Document("f", new Document("$gt", "")), new Document("f", new Document("$gte", "a")),
        new Document("f", new Document("$lt", "b")), new Document("f", new Document("$lte", "a")),
        new Document("f", new Document("$exists", true)), new Document("f", new Document("$gt", "a")).append("g", false));
    for (int i = 0; i < 20_000; i++) {
      Document document = new Document();
      for (String field : List.of("f", "g")) {
        Object value = values[random.nextInt(values.length)];
        if (!(value instanceof de.bwaldvogel.mongo.backend.Missing)) {
          document.put(field, value);
        }
      }
      Document filter = filters.get(random.nextInt(filters.size()));
      assertEquals(new de.bwaldvogel.mongo.backend.DefaultQueryMatcher().matches(document, filter),
          OrderedIndex.passes(document, filter), () -> document + " " + filter);
    }
  }

  @Test
  @DisplayName("A partial filter MongoDB refuses (a negation, a nested field) fails the index's creation")
  void unsupportedFiltersAreRefused(Vertx vertx) {
    try (StoreHarness store = new StoreHarness(vertx, DurableH2Backend.inMemory())) {
      for (JsonObject filter : List.of(new JsonObject().put("is_pinned", new JsonObject().put("$ne", false)),
          new JsonObject().put("a.b", 1), new JsonObject().put("a", new JsonObject().put("$exists", false)))) {
        Throwable failure = store.client.createIndexWithOptions("messages", new JsonObject().put("a", 1),
                new IndexOptions().partialFilterExpression(filter))
            .toCompletionStage().toCompletableFuture().handle((ok, error) -> error).join();
        assertNotNull(failure, filter::encode);
        assertTrue(String.valueOf(failure.getMessage()).contains("partialFilterExpression"), failure::getMessage);
      }
    }
  }
}
