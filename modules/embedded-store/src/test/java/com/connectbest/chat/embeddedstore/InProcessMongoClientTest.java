package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoException;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoClientUpdateResult;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process client must be indistinguishable from vertx-mongo-client over the wire: each case runs the same calls
 * through both, on the same backend, each in its own collection, and compares answers, errors and stored documents.
 */
@ExtendWith(VertxExtension.class)
class InProcessMongoClientTest {

  private static final String A = "0123456789abcdef01234567";
  private static final String B = "0123456789abcdef01234568";

  @TempDir
  Path dir;

  private StoreHarness store;
  private MongoClient inProcess;

  @BeforeEach
  void start(Vertx vertx) {
    store = new StoreHarness(vertx, DurableH2Backend.inMemory());
    inProcess = new InProcessMongoClient(vertx, store.backend, "test", wireClient(vertx, store, false), false);
  }

  @AfterEach
  void stop() {
    await(inProcess.close());
    store.close();
  }

  private static MongoClient wireClient(Vertx vertx, StoreHarness store, boolean staged) {
    JsonObject config = new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + store.server.getLocalAddress().getPort())
        .put("db_name", "test").put("useObjectId", true);
    return MongoClient.create(vertx, staged ? config.put("w", 1).put("j", false) : config);
  }

  @FunctionalInterface
  interface ClientCall<T> {
    Future<T> run(MongoClient client, String collection);
  }

  /** The same calls on both clients, each in its own collection: their answers (which may be null). */
  private <T> List<T> both(ClientCall<T> call) {
    List<T> answers = new ArrayList<>();
    answers.add(await(call.run(store.client, "wire")));
    answers.add(await(call.run(inProcess, "local")));
    return answers;
  }

  private static JsonObject sample(int i) {
    return new JsonObject().put("n", i).put("name", "doc " + i).put("ratio", i / 4.0).put("big", 10_000_000_000L + i)
        .put("flag", i % 2 == 0).put("none", (Object) null)
        .put("at", new JsonObject().put("$date", "2026-12-03T21:0" + (i % 10) + ":00.123456Z"))
        .put("ref", new JsonObject().put("$oid", i % 2 == 0 ? A : B))
        .put("tags", new JsonArray().add("t" + i % 3).add(new JsonObject().put("_id", A)))
        .put("nested", new JsonObject().put("_id", B).put("depth", new JsonObject().put("k", i)));
  }

  private void seed(int count) {
    both((client, collection) -> {
      List<Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        inserts.add(client.insert(collection, sample(i).put("_id", String.format("%024x", i + 1))));
      }
      return Future.all(inserts).map(done -> null);
    });
  }

  @Test
  @DisplayName("An insert answers a generated id and leaves the caller's document as the driver leaves it")
  void insertsLikeTheDriver() {
    List<JsonObject> documents = new ArrayList<>();
    List<String> ids = both((client, collection) -> {
      JsonObject document = sample(1);
      documents.add(document);
      return client.insert(collection, document);
    });
    assertTrue(org.bson.types.ObjectId.isValid(ids.get(0)));
    assertTrue(org.bson.types.ObjectId.isValid(ids.get(1)));
    assertEquals(ids.get(0), documents.get(0).getValue("_id"));
    assertEquals(ids.get(1), documents.get(1).getValue("_id"));

    List<JsonObject> custom = new ArrayList<>();
    List<String> customIds = both((client, collection) -> {
      JsonObject document = sample(2).put("_id", A);
      custom.add(document);
      return client.insert(collection, document);
    });
    assertNull(customIds.get(0));
    assertNull(customIds.get(1));
    assertEquals(custom.get(0), custom.get(1));

    List<JsonObject> saved = new ArrayList<>();
    List<String> savedIds = both((client, collection) -> {
      JsonObject document = sample(3);
      saved.add(document);
      return client.save(collection, document);
    });
    assertEquals(savedIds.get(0), saved.get(0).getJsonObject("_id").getString("$oid"));
    assertEquals(savedIds.get(1), saved.get(1).getJsonObject("_id").getString("$oid"));

    List<List<JsonObject>> stored = both((client, collection) -> client.findWithOptions(collection,
        new JsonObject(), new FindOptions().setSort(new JsonObject().put("n", 1))));
    assertEquals(withoutIds(stored.get(0)), withoutIds(stored.get(1)));
    assertEquals(A, stored.get(1).get(1).getString("_id"));
  }

  private static List<JsonObject> withoutIds(List<JsonObject> documents) {
    return documents.stream().map(document -> document.copy().put("_id", "-")).toList();
  }

  @Test
  @DisplayName("Finds, counts and distinct values are the wire client's, with dates, ids, numbers and projections")
  void readsLikeTheDriver() {
    seed(30);
    List<JsonObject> queries = List.of(
        new JsonObject(),
        new JsonObject().put("_id", String.format("%024x", 7)),
        new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray()
            .add(new JsonObject().put("$oid", String.format("%024x", 3))).add(String.format("%024x", 4)))),
        new JsonObject().put("ref", new JsonObject().put("$oid", A)).put("flag", true),
        new JsonObject().put("$or", new JsonArray().add(new JsonObject().put("_id", String.format("%024x", 9)))
            .add(new JsonObject().put("n", new JsonObject().put("$gte", 27)))),
        new JsonObject().put("at", new JsonObject().put("$gt", new JsonObject().put("$date", "2026-12-03T21:05:00Z"))),
        new JsonObject().put("big", new JsonObject().put("$lt", 10_000_000_005L)),
        new JsonObject().put("name", new JsonObject().put("$regex", "^doc 1").put("$options", "i")),
        new JsonObject().put("nested._id", B).put("nested.depth.k", new JsonObject().put("$in", new JsonArray()
            .add(1).add(2).add(3))));
    for (JsonObject query : queries) {
      List<List<JsonObject>> found = both((client, collection) -> client.findWithOptions(collection, query.copy(),
          new FindOptions().setSort(new JsonObject().put("n", -1)).setSkip(1).setLimit(12)));
      assertEquals(found.get(0), found.get(1), "find " + query);
      List<List<JsonObject>> projected = both((client, collection) -> client.findWithOptions(collection,
          query.copy(), new FindOptions().setFields(new JsonObject().put("at", 1).put("ref", 1))));
      assertEquals(projected.get(0), projected.get(1), "projection " + query);
      List<JsonObject> one = both((client, collection) -> client.findOne(collection, query.copy(), null));
      assertEquals(one.get(0), one.get(1), "findOne " + query);
      List<Long> counts = both((client, collection) -> client.count(collection, query.copy()));
      assertEquals(counts.get(0), counts.get(1), "count " + query);
      List<JsonArray> distinct = both((client, collection) -> client.distinctWithQuery(collection, "name",
          String.class.getName(), query.copy()));
      assertEquals(distinct.get(0), distinct.get(1), "distinct " + query);
    }
    List<JsonObject> missing = both((client, collection) -> client.findOne(collection,
        new JsonObject().put("n", 1000), null));
    assertNull(missing.get(0));
    assertNull(missing.get(1));
    List<List<JsonObject>> none = both((client, collection) -> client.find("absent-" + collection, new JsonObject()));
    assertEquals(List.of(), none.get(0));
    assertEquals(List.of(), none.get(1));
  }

  @Test
  @DisplayName("Updates, upserts, findOneAndUpdate and deletes answer and store what the wire client does")
  void writesLikeTheDriver() {
    seed(10);
    List<MongoClientUpdateResult> multi = both((client, collection) -> client.updateCollectionWithOptions(collection,
        new JsonObject().put("flag", true), new JsonObject().put("$inc", new JsonObject().put("n", 100))
            .put("$set", new JsonObject().put("seen", new JsonObject().put("$date", "2026-12-03T22:00:00.5Z"))),
        new UpdateOptions().setMulti(true)));
    assertEquals(multi.get(0).toJson(), multi.get(1).toJson());
    assertEquals(5, multi.get(1).getDocMatched());

    List<MongoClientUpdateResult> upserts = both((client, collection) -> client.updateCollectionWithOptions(collection,
        new JsonObject().put("_id", A + "x"), new JsonObject().put("$set", new JsonObject().put("n", 500)),
        new UpdateOptions().setUpsert(true)));
    assertEquals(upserts.get(0).toJson(), upserts.get(1).toJson());
    List<MongoClientUpdateResult> generated = both((client, collection) -> client.updateCollectionWithOptions(
        collection, new JsonObject().put("n", 501), new JsonObject().put("$set", new JsonObject().put("m", 1)),
        new UpdateOptions().setUpsert(true)));
    assertNotNull(generated.get(1).getDocUpsertedId().getJsonObject("_id").getString("$oid"));
    assertEquals(generated.get(0).getDocMatched(), generated.get(1).getDocMatched());

    List<JsonObject> returned = both((client, collection) -> client.findOneAndUpdateWithOptions(collection,
        new JsonObject().put("_id", String.format("%024x", 2)), new JsonObject().put("$inc", new JsonObject()
            .put("seq", 1)), new FindOptions().setFields(new JsonObject().put("seq", 1).put("ref", 1)),
        new UpdateOptions().setReturningNewDocument(true)));
    assertEquals(returned.get(0), returned.get(1));
    assertInstanceOf(JsonObject.class, returned.get(1).getValue("_id"), "findOneAndUpdate answers an $oid");

    List<JsonObject> before = both((client, collection) -> client.findOneAndUpdateWithOptions(collection,
        new JsonObject().put("counter", "c1"), new JsonObject().put("$inc", new JsonObject().put("seq", 1)),
        new FindOptions(), new UpdateOptions().setUpsert(true)));
    assertNull(before.get(0));
    assertNull(before.get(1));
    List<JsonObject> deleted = both((client, collection) -> client.findOneAndDelete(collection,
        new JsonObject().put("_id", String.format("%024x", 3))));
    assertEquals(deleted.get(0), deleted.get(1));

    List<Long> removed = both((client, collection) -> client.removeDocument(collection,
        new JsonObject().put("flag", false)).map(result -> result.getRemovedCount()));
    assertEquals(removed.get(0), removed.get(1));
    List<Long> removedAll = both((client, collection) -> client.removeDocuments(collection,
        new JsonObject().put("flag", false)).map(result -> result.getRemovedCount()));
    assertEquals(removedAll.get(0), removedAll.get(1));

    List<List<JsonObject>> stored = both((client, collection) -> client.findWithOptions(collection, new JsonObject(),
        new FindOptions().setSort(new JsonObject().put("n", 1)).setFields(new JsonObject().put("counter", 0))));
    assertEquals(withoutIds(stored.get(0)), withoutIds(stored.get(1)));
  }

  @Test
  @DisplayName("A duplicate key fails with the driver's exception type and code 11000 on both paths")
  void duplicateKeysFailLikeTheDriver() {
    both((client, collection) -> client.createIndexWithOptions(collection, new JsonObject().put("email", 1),
        new IndexOptions().unique(true)));
    both((client, collection) -> client.insert(collection, new JsonObject().put("email", "a@example.com")));
    List<Throwable> inserts = both((client, collection) -> client.insert(collection,
        new JsonObject().put("email", "a@example.com")).transform(done -> Future.succeededFuture(done.cause())));
    both((client, collection) -> client.insert(collection, new JsonObject().put("email", "b@example.com")));
    List<Throwable> updates = both((client, collection) -> client.findOneAndUpdateWithOptions(collection,
        new JsonObject().put("email", "b@example.com"), new JsonObject().put("$set",
            new JsonObject().put("email", "a@example.com")), new FindOptions(), new UpdateOptions())
        .transform(done -> Future.succeededFuture(done.cause())));
    for (List<Throwable> errors : List.of(inserts, updates)) {
      assertEquals(errors.get(0).getClass(), errors.get(1).getClass());
      assertEquals(11000, ((MongoException) errors.get(0)).getCode());
      assertEquals(11000, ((MongoException) errors.get(1)).getCode());
      assertTrue(errors.get(1).getMessage().contains("E11000"), errors.get(1).getMessage());
    }
  }

  @Test
  @DisplayName("Staged writes are acknowledged once applied and durable writes once synced, as over the wire")
  void writeConcernsLikeTheWire(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.open(dir.resolve("store.mv.db"));
    try (StoreHarness durable = new StoreHarness(vertx, backend)) {
      MongoClient local = new InProcessMongoClient(vertx, backend, "test", wireClient(vertx, durable, false), false);
      MongoClient staged = new InProcessMongoClient(vertx, backend, "test", wireClient(vertx, durable, true), true);
      long stagedBefore = backend.stagedWrites();
      long durableBefore = backend.durableWrites();
      await(staged.insert("messages", new JsonObject().put("n", 1)));
      await(staged.updateCollection("messages", new JsonObject().put("n", 1),
          new JsonObject().put("$set", new JsonObject().put("m", 2))));
      assertEquals(stagedBefore + 2, backend.stagedWrites());
      assertEquals(durableBefore, backend.durableWrites());
      await(local.insert("messages", new JsonObject().put("n", 2)));
      await(local.findOneAndUpdate("counters", new JsonObject().put("_id", "c"),
          new JsonObject().put("$inc", new JsonObject().put("seq", 1))));
      assertEquals(durableBefore + 2, backend.durableWrites());
      await(local.close());
      await(staged.close());
    }
  }

  @Test
  @DisplayName("Every call reaches another backend on a store worker thread, reads on the readers' pool, writes on "
      + "the calls pool, never on the caller's event loop")
  void callsRunOnWorkers(Vertx vertx) {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    MemoryBackend backend = new MemoryBackend() {
      @Override
      public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (Set.of("insert", "find", "count").contains(command)) {
          threads.add(command + " " + Thread.currentThread().getName());
        }
        return super.handleCommand(channel, database, command, query);
      }
    };
    try (StoreHarness memory = new StoreHarness(vertx, backend)) {
      MongoClient local = new InProcessMongoClient(vertx, backend, "test", wireClient(vertx, memory, false), false);
      // Called from an event loop, as a service calls it.
      String id = await(Future.<String>future(promise -> vertx.runOnContext(v ->
          local.insert("c", new JsonObject().put("n", 1)).onComplete(promise))));
      await(local.find("c", new JsonObject().put("_id", id)));
      await(local.count("c", new JsonObject()));
      assertEquals(3, threads.size(), threads.toString());
      assertTrue(threads.stream().allMatch(name -> name.startsWith("insert " + InProcessMongoClient.WORKERS + "-")
          || name.matches("(find|count) " + InProcessMongoClient.READERS + "-\\d+")), threads.toString());
      assertTrue(InProcessMongoClient.READ_THREADS >= 2);
      await(local.close());
    }
  }

  @Test
  @DisplayName("Durable writes in process share their group commits and each answer comes back on the caller's "
      + "context")
  void durableWritesHoldNoThreadWhileTheyWait(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.open(dir.resolve("writers.mv.db"));
    try (StoreHarness durable = new StoreHarness(vertx, backend)) {
      MongoClient local = new InProcessMongoClient(vertx, backend, "test", wireClient(vertx, durable, false), false);
      long syncsBefore = backend.fileSyncs();
      Set<String> answeredOn = ConcurrentHashMap.newKeySet();
      io.vertx.core.Context caller = vertx.getOrCreateContext();
      int writes = 300;
      List<Future<String>> inserts = await(Future.<List<Future<String>>>future(promise -> caller.runOnContext(v -> {
        List<Future<String>> started = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
          started.add(local.insert("c", new JsonObject().put("n", i)).onComplete(done ->
              answeredOn.add(io.vertx.core.Vertx.currentContext() == caller ? "caller" : String.valueOf(
                  io.vertx.core.Vertx.currentContext()))));
        }
        promise.complete(started);
      })));
      inserts.forEach(StoreHarness::await);
      assertEquals(Set.of("caller"), answeredOn);
      assertEquals(writes, await(local.count("c", new JsonObject())));
      assertTrue(backend.fileSyncs() - syncsBefore < writes, "the writes shared their syncs");
      await(local.close());
    }
  }

  @Test
  @DisplayName("Calls the in-process path leaves to the wire client (indexes, aggregations) still work through it")
  void otherCallsGoOverTheWire() {
    await(inProcess.createIndex("local", new JsonObject().put("n", 1)));
    JsonArray indexes = await(inProcess.listIndexes("local"));
    assertTrue(indexes.stream().anyMatch(index -> ((JsonObject) index).getJsonObject("key").containsKey("n")));
    await(inProcess.insert("local", new JsonObject().put("n", 1)));
    List<JsonObject> grouped = new ArrayList<>();
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    inProcess.aggregate("local", new JsonArray().add(new JsonObject().put("$match", new JsonObject().put("n", 1))))
        .endHandler(v -> done.complete()).exceptionHandler(done::fail).handler(grouped::add);
    await(done.future());
    assertEquals(1, grouped.size());
    assertEquals("ok", await(inProcess.runCommand("ping", new JsonObject().put("ping", 1))).getDouble("ok") == 1.0
        ? "ok" : "not ok");
  }
}
