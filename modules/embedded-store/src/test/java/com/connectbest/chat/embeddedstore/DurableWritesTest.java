package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class DurableWritesTest {

  @TempDir
  Path dir;

  /**
   * A process killed with SIGKILL leaves its files exactly as its last write() calls made them (the kernel keeps what
   * was written); copying them while the store is open and busy gives that state without killing the JVM. The
   * write-ahead log is copied first: a checkpoint between the copies leaves a store that holds at least what the
   * copied log lacks.
   */
  static Path crashImage(Path file, Path dir) throws Exception {
    return copyStore(file, dir.resolve("crash-image.mv.db"));
  }

  static Path copyStore(Path file, Path copy) throws Exception {
    Path[] logs = RedoLog.files(file);
    Path[] copies = RedoLog.files(copy);
    for (int i = 0; i < logs.length; i++) {
      Files.copy(logs[i], copies[i]);
    }
    Files.copy(file, copy);
    return copy;
  }

  /** Inserts {@code count} messages {n: 0..count-1} at once and waits for every answer. */
  private static void insertAll(MongoClient client, int count) {
    List<Future<String>> inserts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inserts.add(client.insert("messages", new JsonObject().put("n", i)));
    }
    inserts.forEach(StoreHarness::await);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(booleans = {false, true})
  @DisplayName("Every insert, update and delete that was acknowledged, over the wire or in process, is in the file a "
      + "crash would leave behind")
  void acknowledgedWritesSurviveACrashImage(boolean inProcess, Vertx vertx) throws Exception {
    Path file = dir.resolve("store.mv.db");
    Set<String> acknowledged = new TreeSet<>();
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      MongoClient client = inProcess ? new InProcessMongoClient(vertx, backend, "test", store.client, false)
          : store.client;
      List<Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        inserts.add(client.insert("messages", new JsonObject().put("channel_id", "c" + (i % 4)).put("n", i)));
      }
      for (Future<String> insert : inserts) {
        acknowledged.add(await(insert));
      }
      await(client.updateCollection("messages", new JsonObject().put("n", 7),
          new JsonObject().put("$set", new JsonObject().put("edited", true))));
      await(client.removeDocument("messages", new JsonObject().put("n", 8)));
      // The image is taken at once: no commit may have run after the last acknowledgement for this to pass by luck.
      Path image = crashImage(file, dir);

      try (StoreHarness reopened = new StoreHarness(vertx, DurableH2Backend.open(image))) {
        List<JsonObject> found = await(reopened.client.findWithOptions("messages", new JsonObject(),
            new FindOptions().setLimit(1000)));
        Set<String> ids = new TreeSet<>();
        found.forEach(doc -> ids.add(doc.getString("_id")));
        JsonObject edited = await(reopened.client.findOne("messages", new JsonObject().put("n", 7), null));
        JsonObject deleted = await(reopened.client.findOne("messages", new JsonObject().put("n", 8), null));
        System.out.printf("durable writes (%s): acknowledged=%d, found in crash image=%d%n",
            inProcess ? "in process" : "wire", acknowledged.size() - 1, ids.size());
        assertEquals(acknowledged.size() - 1, ids.size());
        assertTrue(acknowledged.containsAll(ids));
        assertEquals(true, edited.getBoolean("edited"));
        assertEquals(null, deleted);
      }
    }
  }

  @Test
  @DisplayName("Concurrent writes share file syncs instead of paying one each")
  void concurrentWritesShareSyncs(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.open(dir.resolve("shared.mv.db"));
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      await(store.client.insert("warmup", new JsonObject()));
      long writesBefore = backend.durableWrites();
      long syncsBefore = backend.fileSyncs();
      List<Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        inserts.add(store.client.insert("messages", new JsonObject().put("n", i)));
      }
      inserts.forEach(StoreHarness::await);
      long writes = backend.durableWrites() - writesBefore;
      long syncs = backend.fileSyncs() - syncsBefore;
      System.out.printf("group commit: %d writes, %d file syncs%n", writes, syncs);
      assertEquals(500, writes);
      assertTrue(syncs < writes, "syncs " + syncs + " should be fewer than writes " + writes);
    }
  }

  @Test
  @DisplayName("A file written by the plain H2 backend opens with its data, and its indexes are rebuilt as ordered, "
      + "held by the opening checkpoint and not by the log")
  void opensFilesOfThePlainBackend(Vertx vertx) throws Exception {
    Path file = dir.resolve("plain.mv.db");
    try (StoreHarness plain = new StoreHarness(vertx, new de.bwaldvogel.mongo.backend.h2.H2Backend(file.toString()))) {
      await(plain.client.createIndex("messages", new JsonObject().put("channel_id", 1).put("_id", -1)));
      List<Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        inserts.add(plain.client.insert("messages", new JsonObject().put("channel_id", "c" + (i % 3)).put("n", i)));
      }
      inserts.forEach(StoreHarness::await);
    }
    DurableH2Backend backend = DurableH2Backend.open(file);
    long logged = 0;
    for (Path log : RedoLog.files(file)) {
      logged += Files.size(log);
    }
    // the rebuild wrote 600 index entries (about 60 KB of records if logged)
    assertTrue(logged < 4096, "opening logged " + logged + " bytes");
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      List<JsonObject> page = await(store.client.findWithOptions("messages", new JsonObject().put("channel_id", "c1"),
          new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(5)));
      assertEquals(List.of(298, 295, 292, 289, 286), page.stream().map(doc -> doc.getInteger("n")).toList());
      OrderedH2Collection messages = (OrderedH2Collection) backend.resolveDatabase("test")
          .resolveCollection("messages", true);
      IndexScan.Plan plan = messages.plan(new de.bwaldvogel.mongo.bson.Document("channel_id", "c1"),
          new de.bwaldvogel.mongo.bson.Document("_id", -1), 0, 5);
      assertEquals("channel_id_1__id_-1", plan.index().getName());
      assertTrue(plan.sorted());
    }
  }

  @Test
  @DisplayName("An index built over existing documents is held by a checkpoint, not by the log: the log grows by no "
      + "record per document, a crash image taken after the answer has the whole index, and asking for an index "
      + "that exists checkpoints nothing")
  void indexBuildsAreCheckpointedNotLogged(Vertx vertx) throws Exception {
    Path file = dir.resolve("build.mv.db");
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      List<Future<String>> inserts = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        inserts.add(store.client.insert("messages", new JsonObject().put("channel_id", "c" + (i % 3)).put("n", i)));
      }
      inserts.forEach(StoreHarness::await);
      long checkpoints = backend.checkpoints();
      long before = loggedBytes(file);
      await(store.client.createIndex("messages", new JsonObject().put("channel_id", 1).put("n", -1)));
      // 600 entries logged would be about 60 KB; the checkpoint that holds them may switch log files (a few bytes)
      assertTrue(loggedBytes(file) - before < 4096, "the build logged " + (loggedBytes(file) - before) + " bytes");
      assertTrue(backend.checkpoints() > checkpoints, "no checkpoint held the build");
      assertEquals(1, backend.unloggedWrites());
      // asking again for an index that exists (what every service does at start) builds nothing: logged as usual
      await(store.client.createIndex("messages", new JsonObject().put("channel_id", 1).put("n", -1)));
      await(store.client.createIndex("empty", new JsonObject().put("channel_id", 1)));
      assertEquals(1, backend.unloggedWrites(), "an index that exists, or one over no documents, was built unlogged");
      await(store.client.insert("messages", new JsonObject().put("channel_id", "c1").put("n", 600)));
      Path image = copyStore(file, dir.resolve("build-image.mv.db"));
      DurableH2Backend reopened = DurableH2Backend.open(image);
      try (StoreHarness again = new StoreHarness(vertx, reopened)) {
        List<JsonObject> page = await(again.client.findWithOptions("messages", new JsonObject().put("channel_id", "c1"),
            new FindOptions().setSort(new JsonObject().put("n", -1)).setLimit(4)));
        assertEquals(List.of(600, 598, 595, 592), page.stream().map(doc -> doc.getInteger("n")).toList());
        OrderedH2Collection messages = (OrderedH2Collection) reopened.resolveDatabase("test")
            .resolveCollection("messages", true);
        IndexScan.Plan plan = messages.plan(new de.bwaldvogel.mongo.bson.Document("channel_id", "c1"),
            new de.bwaldvogel.mongo.bson.Document("n", -1), 0, 4);
        assertEquals("channel_id_1_n_-1", plan.index().getName());
        assertEquals(201, await(again.client.count("messages", new JsonObject().put("channel_id", "c1"))));
      }
    }
  }

  private static long loggedBytes(Path file) throws Exception {
    long bytes = 0;
    for (Path log : RedoLog.files(file)) {
      bytes += Files.size(log);
    }
    return bytes;
  }

  @Test
  @DisplayName("Staged writes wait for no sync, and the next durable write puts them in the file with it")
  void stagedWritesBecomeDurableWithTheNextDurableWrite(Vertx vertx) throws Exception {
    Path file = dir.resolve("staged.mv.db");
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      await(store.client.insert("warmup", new JsonObject()));
      long durableBefore = backend.durableWrites();
      insertAll(store.staged, 50);
      assertEquals(50, backend.stagedWrites());
      assertEquals(durableBefore, backend.durableWrites(), "a staged write waited for a sync");
      await(store.client.insert("events", new JsonObject().put("after", 50)));
      Path image = crashImage(file, dir);
      try (StoreHarness reopened = new StoreHarness(vertx, DurableH2Backend.open(image))) {
        assertEquals(50L, await(reopened.client.count("messages", new JsonObject())));
        assertEquals(1L, await(reopened.client.count("events", new JsonObject())));
      }
    }
  }

  @Test
  @DisplayName("A barrier writes nothing, waits for a sync, and puts the staged writes applied before it in the file")
  void aBarrierMakesTheStagedWritesBeforeItDurable(Vertx vertx) throws Exception {
    Path file = dir.resolve("barrier.mv.db");
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      InProcessMongoClient staged = new InProcessMongoClient(vertx, backend, "test", store.client, true);
      await(store.client.insert("warmup", new JsonObject()));
      long durableBefore = backend.durableWrites();
      long commitsBefore = backend.fileSyncs();
      insertAll(staged, 50);
      await(staged.barrier());
      // Taken at once: the periodic commit (every 250 ms) has most likely not run, so only the barrier's commit can
      // have put the writes there.
      Path image = crashImage(file, dir);
      assertEquals(durableBefore, backend.durableWrites(), "the barrier wrote something");
      assertTrue(backend.fileSyncs() > commitsBefore, "the barrier answered without a commit");
      try (StoreHarness reopened = new StoreHarness(vertx, DurableH2Backend.open(image))) {
        assertEquals(50L, await(reopened.client.count("messages", new JsonObject())));
      }
    }
  }

  @Test
  @DisplayName("A staged write that no durable write follows is in the file within a second")
  void stagedWritesAreCommittedPeriodically(Vertx vertx) throws Exception {
    Path file = dir.resolve("idle.mv.db");
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      await(store.staged.insert("messages", new JsonObject().put("n", 1)));
      long deadline = System.currentTimeMillis() + 5_000;
      long found = 0;
      while (found == 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        Path image = copyStore(file, dir.resolve("idle-image-" + System.nanoTime() + ".mv.db"));
        try (StoreHarness reopened = new StoreHarness(vertx, DurableH2Backend.open(image))) {
          found = await(reopened.client.count("messages", new JsonObject()));
        }
      }
      assertEquals(1L, found, "the staged write never reached the file");
    }
  }

  @Test
  @DisplayName("No write commits on its own, however much it leaves unsaved: only the group commit commits")
  void onlyTheGroupCommitCommits() {
    DurableH2Backend backend = DurableH2Backend.open(dir.resolve("unsaved.mv.db"));
    try {
      org.h2.mvstore.MVStore store = backend.getMvStore();
      org.h2.mvstore.MVMap<Integer, String> map = store.openMap("unsaved");
      long version = store.getCurrentVersion();
      // Far beyond the 19 MB after which H2's default makes the writing thread commit (1,024 KB x 19).
      String value = "x".repeat(200);
      for (int i = 0; i < 300_000; i++) {
        map.put(i, value);
      }
      assertTrue(store.getUnsavedMemory() > 19 * 1024 * 1024, "unsaved: " + store.getUnsavedMemory());
      assertEquals(version, store.getCurrentVersion(), "a write committed outside the group commit");
    } finally {
      backend.close();
    }
  }
}
