package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ordered indexes answer exactly what mongo-java-server's own (scanning) memory backend answers, for the query
 * shapes the chat uses and random variations of them, and they do it by reading index runs, not the collection.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderedIndexQueryTest {

  private static final int DOCUMENTS = 3_000;
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private StoreHarness reference;
  private StoreHarness indexed;
  private DurableH2Backend backend;
  private final List<String> ids = new ArrayList<>();

  @BeforeAll
  void fill(Vertx vertx) {
    reference = new StoreHarness(vertx, new MemoryBackend());
    backend = DurableH2Backend.inMemory();
    indexed = new StoreHarness(vertx, backend);
    for (StoreHarness store : List.of(reference, indexed)) {
      MongoClient client = store.client;
      await(client.createIndex("messages", new JsonObject().put("channel_id", 1).put("_id", -1)));
      await(client.createIndex("messages", new JsonObject().put("parent_message_id", 1).put("_id", 1)));
      await(client.createIndex("messages", new JsonObject().put("channel_id", 1).put("is_pinned", 1).put("pinned_at", -1)));
      await(client.createIndex("messages", new JsonObject().put("tags", 1)));
      await(client.createIndexWithOptions("messages", new JsonObject().put("client_key", 1),
          new IndexOptions().unique(true).sparse(true)));
    }
    Random random = new Random(42);
    List<JsonObject> documents = new ArrayList<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      String id = new ObjectId().getHexData();
      ids.add(id);
      boolean reply = i > 10 && random.nextInt(5) == 0;
      JsonObject doc = new JsonObject()
          .put("_id", new JsonObject().put("$oid", id))
          .put("channel_id", "c" + random.nextInt(7))
          .put("user_id", "u" + random.nextInt(5))
          .put("parent_message_id", reply ? ids.get(random.nextInt(10)) : null)
          .put("is_deleted", random.nextInt(10) == 0)
          .put("is_pinned", random.nextInt(20) == 0)
          .put("pinned_at", random.nextBoolean() ? new JsonObject().put("$date", EPOCH.plusSeconds(random.nextInt(100)).toString()) : null)
          .put("n", random.nextInt(50))
          .put("tags", new JsonArray().add("t" + random.nextInt(4)).add("t" + random.nextInt(4)));
      if (random.nextInt(3) == 0) {
        doc.put("client_key", "k" + i);
      }
      documents.add(doc);
    }
    for (StoreHarness store : List.of(reference, indexed)) {
      List<Future<String>> inserts = documents.stream().map(doc -> store.client.insert("messages", doc.copy())).toList();
      inserts.forEach(StoreHarness::await);
    }
  }

  @AfterAll
  void close() {
    reference.close();
    indexed.close();
  }

  private void assertSameAnswer(JsonObject query, JsonObject sort, int skip, int limit) {
    FindOptions options = new FindOptions().setSort(sort).setSkip(skip).setLimit(limit);
    List<JsonObject> expected = await(reference.client.findWithOptions("messages", query, options));
    List<JsonObject> actual = await(indexed.client.findWithOptions("messages", query, options));
    assertEquals(ids(expected), ids(actual), () -> "query " + query + " sort " + sort + " skip " + skip + " limit " + limit);
    long expectedCount = await(reference.client.count("messages", query));
    assertEquals(expectedCount, (long) await(indexed.client.count("messages", query)), () -> "count " + query);
  }

  private static List<String> ids(List<JsonObject> documents) {
    return documents.stream().map(doc -> doc.getString("_id")).toList();
  }

  private OrderedH2Collection messages() {
    return (OrderedH2Collection) backend.resolveDatabase("test").resolveCollection("messages", true);
  }

  @Test
  @DisplayName("History pages, thread replies, pinned lists and searches answer exactly as a full scan does")
  void chatQueriesAnswerAsAScan() {
    String middle = ids.get(DOCUMENTS / 2);
    JsonObject notDeleted = new JsonObject().put("$ne", true);
    for (int c = 0; c < 7; c++) {
      JsonObject page = new JsonObject().put("channel_id", "c" + c).put("parent_message_id", null).put("is_deleted", notDeleted);
      assertSameAnswer(page, new JsonObject().put("_id", -1), 0, 50);
      assertSameAnswer(page.copy().put("_id", new JsonObject().put("$lt", new JsonObject().put("$oid", middle))),
          new JsonObject().put("_id", -1), 0, 50);
      assertSameAnswer(new JsonObject().put("channel_id", "c" + c).put("is_pinned", true).put("is_deleted", notDeleted),
          new JsonObject().put("pinned_at", -1).put("_id", -1), 0, 20);
    }
    for (int p = 0; p < 10; p++) {
      assertSameAnswer(new JsonObject().put("parent_message_id", ids.get(p)).put("is_deleted", notDeleted),
          new JsonObject().put("_id", 1), 0, 100);
    }
    assertSameAnswer(new JsonObject().put("channel_id", new JsonObject().put("$in", new JsonArray().add("c1").add("c4")))
        .put("n", new JsonObject().put("$gte", 10).put("$lt", 20)), new JsonObject().put("_id", -1), 5, 30);
    assertSameAnswer(new JsonObject().put("tags", "t2"), new JsonObject().put("_id", 1), 0, 40);
    assertSameAnswer(new JsonObject().put("client_key", new JsonObject().put("$gt", "k2")).put("user_id", "u3"),
        new JsonObject().put("_id", 1), 0, 0);
    assertSameAnswer(new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray()
        .add(new JsonObject().put("$oid", ids.get(3))).add(new JsonObject().put("$oid", ids.get(99))))),
        new JsonObject().put("_id", 1), 0, 0);
  }

  @Test
  @DisplayName("Random conjunctions of equalities, $in and ranges with any sort, skip and limit answer as a scan does")
  void randomQueriesAnswerAsAScan() {
    Random random = new Random(7);
    String[] sortable = {"_id", "n", "pinned_at", "channel_id"};
    for (int i = 0; i < 300; i++) {
      JsonObject query = new JsonObject();
      if (random.nextBoolean()) {
        query.put("channel_id", random.nextBoolean() ? "c" + random.nextInt(8)
            : new JsonObject().put("$in", new JsonArray().add("c" + random.nextInt(8)).add("c" + random.nextInt(8))));
      }
      if (random.nextInt(3) == 0) {
        query.put("is_pinned", random.nextBoolean());
      }
      if (random.nextInt(3) == 0) {
        JsonObject range = new JsonObject();
        range.put(random.nextBoolean() ? "$gt" : "$gte", random.nextInt(50));
        if (random.nextBoolean()) {
          range.put(random.nextBoolean() ? "$lt" : "$lte", random.nextInt(50));
        }
        query.put("n", range);
      }
      if (random.nextInt(4) == 0) {
        query.put("_id", new JsonObject().put(random.nextBoolean() ? "$lt" : "$gte",
            new JsonObject().put("$oid", ids.get(random.nextInt(DOCUMENTS)))));
      }
      if (random.nextInt(4) == 0) {
        // null inside an $in too: the planner's fast path for ids must keep it (a run of documents without parent)
        query.put("parent_message_id", random.nextBoolean() ? null : new JsonObject().put("$in",
            new JsonArray().addNull().add(ids.get(random.nextInt(10))).add(ids.get(random.nextInt(10)))));
      }
      if (random.nextInt(6) == 0) {
        query.put("n", new JsonObject().put("$in",
            new JsonArray().add(random.nextInt(50)).add(random.nextInt(50) + 0.0)));
      }
      int direction = random.nextBoolean() ? 1 : -1;
      JsonObject sort = new JsonObject().put(sortable[random.nextInt(sortable.length)], direction).put("_id", direction);
      assertSameAnswer(query, sort, random.nextInt(3) * 5, random.nextInt(4) * 20);
    }
  }

  @Test
  @DisplayName("A history page reads its channel's index run backwards and stops after the page, never the collection")
  void historyPageReadsAnIndexRun() {
    Document page = new Document("channel_id", "c3").append("parent_message_id", null)
        .append("is_deleted", new Document("$ne", true));
    IndexScan.Plan plan = messages().plan(page, new Document("_id", -1), 0, 50);
    assertNotNull(plan);
    assertEquals("channel_id_1__id_-1", plan.index().getName());
    assertTrue(plan.sorted() && plan.reverse());
    assertTrue(plan.entries() < DOCUMENTS / 5, "entries " + plan.entries());
    IndexScan.Plan replies = messages().plan(new Document("parent_message_id", ids.get(2)), new Document("_id", 1), 0, 100);
    assertEquals("parent_message_id_1__id_1", replies.index().getName());
    assertEquals(61, replies.entries(), "two candidates (the _id index reads in order): counted");
    IndexScan.Plan unsorted = messages().plan(new Document("parent_message_id", ids.get(2)), null, 0, 0);
    assertEquals("parent_message_id_1__id_1", unsorted.index().getName());
    assertEquals(1, unsorted.entries(), "the only index bounding the read: taken without counting its run");
    assertSameAnswer(new JsonObject().put("parent_message_id", ids.get(2)), new JsonObject().put("n", 1).put("_id", 1),
        0, 0);
    assertNull(messages().plan(new Document("n", 3), null, 0, 0), "no index on n: a scan");
  }

  @Test
  @DisplayName("A unique index given every key is read by point lookups without counting, and answers as a scan does")
  void uniqueKeysAreReadByPointLookups() {
    JsonArray someMissing = new JsonArray();
    for (int i = 0; i < 5; i++) {
      someMissing.add(new JsonObject().put("$oid", ids.get(i * 7)));
    }
    someMissing.add(new JsonObject().put("$oid", new ObjectId().getHexData()));
    JsonObject byIds = new JsonObject().put("_id", new JsonObject().put("$in", someMissing)).put("user_id", "u2");
    IndexScan.Plan plan = messages().plan(new Document("_id", new Document("$in", someMissing.stream()
        .map(oid -> new ObjectId(((JsonObject) oid).getString("$oid"))).toList())).append("user_id", "u2"),
        new Document("n", 1), 0, 3);
    assertNotNull(plan);
    assertEquals("_id_", plan.index().getName());
    assertTrue(plan.pointLookups());
    assertEquals(6, plan.entries(), "one per value, the missing one included: estimated, not counted");
    assertSameAnswer(byIds, new JsonObject().put("n", 1), 0, 3);
    assertSameAnswer(byIds, new JsonObject().put("_id", -1), 1, 0);
    JsonObject byKeys = new JsonObject().put("client_key", new JsonObject().put("$in", new JsonArray()
        .add("k3").add("k6").add("k9").add("k12").add("absent")));
    assertTrue(messages().plan(new Document("client_key", new Document("$in", List.of("k3", "absent"))), null, 0, 0)
        .pointLookups());
    assertSameAnswer(byKeys, new JsonObject().put("_id", 1), 0, 0);
    List<ObjectId> some = List.of(new ObjectId(ids.get(9)), new ObjectId(ids.get(2)), new ObjectId(ids.get(5)));
    IndexScan.Plan unordered = messages().plan(new Document("_id", new Document("$in", some)), null, 0, 0);
    assertFalse(unordered.ordered(), "no order asked: the runs are read one after the other, not merged");
    assertEquals(some, unordered.positions().toList(), "in the order of the $in's values");
    IndexScan.Plan ordered = messages().plan(new Document("_id", new Document("$in", some)), new Document("_id", 1),
        0, 0);
    assertTrue(ordered.sorted() && ordered.ordered());
    assertEquals(some.stream().sorted().toList(), ordered.positions().toList(), "merged into the order asked for");
    assertNull(messages().plan(new Document("client_key", null), null, 0, 0), "a sparse index holds no null keys");
  }

  @Test
  @DisplayName("An $or whose branches each have an index is read as a union of index runs, and answers as a scan does")
  void orBranchesUseIndexes() {
    ScanLog log = backend.scanLog();
    log.reset();
    JsonObject either = new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("channel_id", "c2").put("n", 3))
        .add(new JsonObject().put("parent_message_id", ids.get(4))));
    assertSameAnswer(either, new JsonObject().put("_id", -1), 0, 0);
    assertEquals(java.util.Map.of(), log.counts(), "no scan for an $or of indexed branches");
    assertSameAnswer(new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("channel_id", "c2")).add(new JsonObject().put("n", 3))), new JsonObject().put("_id", 1), 0, 0);
    assertEquals(2L, log.counts().get("test.messages"), "a branch without an index scans (find, and count's $match)");
    assertEquals("{\"$or\" : [ { \"channel_id\" : \"?\" }, { \"n\" : \"?\" } ]}", log.lastQuery("test.messages"),
        "the log keeps the query's shape, not its values");
  }

  @Test
  @DisplayName("Counts (aggregations in the driver) and aggregations that start with $match read through the indexes")
  void aggregationsStartFromIndexes() {
    ScanLog log = backend.scanLog();
    log.reset();
    JsonObject unread = new JsonObject().put("channel_id", "c5").put("parent_message_id", null)
        .put("user_id", new JsonObject().put("$ne", "u1"))
        .put("_id", new JsonObject().put("$gte", new JsonObject().put("$oid", ids.get(DOCUMENTS / 3))));
    assertSameAnswer(unread, new JsonObject().put("_id", 1), 0, 0);
    JsonArray pipeline = new JsonArray()
        .add(new JsonObject().put("$match", new JsonObject().put("channel_id", new JsonObject().put("$in",
            new JsonArray().add("c1").add("c2")))))
        .add(new JsonObject().put("$group", new JsonObject().put("_id", "$channel_id")
            .put("n", new JsonObject().put("$sum", 1))))
        .add(new JsonObject().put("$sort", new JsonObject().put("_id", 1)));
    // one aggregate command each, not the client's read stream (it may never deliver: vertx-mongo-client#282)
    List<JsonObject> expected = aggregateOnce(reference.client, "messages", pipeline);
    List<JsonObject> actual = aggregateOnce(indexed.client, "messages", pipeline);
    assertEquals(expected, actual);
    assertEquals(java.util.Map.of(), log.counts(), "no whole-collection read");
    aggregateOnce(indexed.client, "messages", new JsonArray().add(new JsonObject().put("$group",
        new JsonObject().put("_id", null).put("n", new JsonObject().put("$sum", 1)))));
    assertEquals(1L, log.counts().get("test.messages"), "an aggregation without a leading $match reads everything");
  }

  /** An aggregation's rows through one {@code aggregate} command (as the application's MongoClients.aggregate). */
  private static List<JsonObject> aggregateOnce(MongoClient client, String collection, JsonArray pipeline) {
    JsonObject answer = await(client.runCommand("aggregate", new JsonObject().put("aggregate", collection)
        .put("pipeline", pipeline).put("cursor", new JsonObject().put("batchSize", 1_000))));
    List<JsonObject> rows = new java.util.ArrayList<>();
    answer.getJsonObject("cursor").getJsonArray("firstBatch").forEach(row -> rows.add((JsonObject) row));
    return rows;
  }

  @Test
  @DisplayName("Conditions an index run enforces exactly are not matched again, anything else still is, and every "
      + "answer stays a scan's")
  void enforcedConditionsAreNotMatchedAgain() {
    JsonObject byId = new JsonObject().put("_id", -1);
    java.util.function.Function<JsonObject, Document> residual = query -> {
      Document bson = ExtendedJson.toDocument(query, ExtendedJson.Ids.NONE);
      return messages().plan(bson, new Document("_id", -1), 0, 0).residual(bson);
    };
    assertEquals(new Document(), residual.apply(new JsonObject().put("channel_id", "c1")));
    assertEquals(new Document(), residual.apply(new JsonObject().put("channel_id",
        new JsonObject().put("$in", new JsonArray().add("c1").add("c2")))));
    assertEquals(Set.of("user_id"), residual.apply(new JsonObject().put("channel_id", "c1").put("user_id", "u1"))
        .keySet());
    // an index with arrays in it (tags), an operator beside $eq, and a field the $and names first are matched again
    assertEquals(Set.of("tags"), residual.apply(new JsonObject().put("tags", "t1")).keySet());
    assertEquals(Set.of("channel_id"), residual.apply(new JsonObject().put("channel_id",
        new JsonObject().put("$eq", "c1").put("$ne", "c2"))).keySet());
    assertEquals(Set.of("$and", "channel_id"), residual.apply(new JsonObject()
        .put("$and", new JsonArray().add(new JsonObject().put("channel_id", "c2"))).put("channel_id", "c1")).keySet());

    for (JsonObject query : List.of(
        new JsonObject().put("channel_id", "c1"),
        new JsonObject().put("channel_id", "c1").put("user_id", "u1"),
        new JsonObject().put("channel_id", new JsonObject().put("$in", new JsonArray().add("c1").add("c2")))
            .put("n", new JsonObject().put("$gt", 10)),
        new JsonObject().put("tags", "t1").put("channel_id", "c3"),
        new JsonObject().put("channel_id", new JsonObject().put("$eq", "c1").put("$ne", "c2")),
        new JsonObject().put("channel_id", "c1").put("$and", new JsonArray().add(new JsonObject().put("channel_id", "c2"))),
        new JsonObject().put("$and", new JsonArray().add(new JsonObject().put("channel_id", "c2"))).put("channel_id", "c1"),
        new JsonObject().put("channel_id", "c1").put("parent_message_id", null).put("is_deleted",
            new JsonObject().put("$ne", true)))) {
      assertSameAnswer(query, byId, 0, 0);
      assertSameAnswer(query, byId, 0, 20);
    }
  }

  @Test
  @DisplayName("Unique indexes (the _id one included) refuse a second document with the same keys, and a sparse one accepts many without them")
  void uniqueIndexesStayUnique() {
    MongoClient client = indexed.client;
    await(client.insert("messages", new JsonObject().put("user_id", "dup").put("client_key", "same")));
    Throwable refused = client.insert("messages", new JsonObject().put("user_id", "dup").put("client_key", "same"))
        .toCompletionStage().handle((id, error) -> error).toCompletableFuture().join();
    assertNotNull(refused);
    assertTrue(refused.getMessage().contains("E11000"), refused.getMessage());
    await(client.insert("messages", new JsonObject().put("user_id", "dup")));
    await(client.insert("messages", new JsonObject().put("user_id", "dup")));
    JsonObject moved = await(client.findOneAndUpdate("messages", new JsonObject().put("user_id", "dup")
        .put("client_key", "same"), new JsonObject().put("$set", new JsonObject().put("client_key", "other"))));
    assertNotNull(moved);
    await(client.insert("messages", new JsonObject().put("user_id", "dup").put("client_key", "same")));
    assertEquals(4L, (long) await(client.count("messages", new JsonObject().put("user_id", "dup"))));
    await(client.removeDocuments("messages", new JsonObject().put("user_id", "dup")));
    await(client.insert("messages", new JsonObject().put("_id", "dm_a_b").put("user_id", "dup")));
    Throwable sameId = client.insert("messages", new JsonObject().put("_id", "dm_a_b").put("user_id", "dup"))
        .toCompletionStage().handle((id, error) -> error).toCompletableFuture().join();
    assertNotNull(sameId, "a second document with the same _id is refused");
    assertTrue(sameId.getMessage().contains("E11000"), sameId.getMessage());
    await(client.removeDocuments("messages", new JsonObject().put("user_id", "dup")));
    assertEquals(0L, (long) await(client.count("messages", new JsonObject().put("user_id", "dup"))));
  }
}
