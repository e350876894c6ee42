package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link FlatUpdate}, the embedded store's own path for flat updates, against the library's update path: the same
 * update commands on the ordered H2 store and on the library's memory backend (which applies every update itself)
 * must leave documents equal value for value, type for type and key for key, and give the same answers and errors.
 */
class FlatUpdateTest {

  private static final String DB = "test";
  private static final String COLLECTION = "items";
  private static final String[] FIELDS = {"a", "b", "c", "d", "e"};
  /**
   * Fields queried by value: not the indexed {@code b}, since a query by an index reads its matches in the index's
   * order and the memory backend in insertion order, and which document a single update (or a multiple one that fails
   * half-way) changes first would then differ for reasons that are not the update's.
   */
  private static final String[] SELECTED = {"a", "c", "d", "e"};

  /** Values of every kind the services store, and the corner cases of the library's comparisons. */
  private static final List<Supplier<Object>> VALUES = List.of(
      () -> 0, () -> 1, () -> 5, () -> -3, () -> Integer.MAX_VALUE,
      () -> 5L, () -> 0L, () -> (1L << 60) + 1, () -> (1L << 60),
      () -> 5.0, () -> 0.0, () -> -0.0, () -> 2.5, () -> Double.NaN,
      () -> "x", () -> "y", () -> "", () -> "😀",
      () -> true, () -> false, () -> null,
      () -> Instant.ofEpochMilli(1_700_000_000_000L), () -> Instant.ofEpochMilli(1_700_000_000_001L),
      () -> new Document("seq", 3L).append("id", "m1").append("content", "hi"),
      () -> new Document("seq", 4L).append("id", "m2").append("content", "hi"),
      () -> new Document("seq", 3).append("id", "m1").append("content", "hi"),
      () -> new Document("id", "m1").append("seq", 3L).append("content", "hi"),
      () -> new Document("seq", 3L).append("id", null),
      () -> new ArrayList<>(List.of(1, 2)), () -> new ArrayList<>(List.of(1.0, 2)),
      () -> new ArrayList<>(List.of("u1")), () -> new ArrayList<>());

  /** findAndModify's projections: none, plain inclusions (the flat path's), and the library's other kinds. */
  private static final List<Supplier<Document>> PROJECTIONS = List.of(
      () -> null, () -> new Document("c", 1).append("a", 1), () -> new Document("a", true),
      () -> new Document("e", 1L).append("zz", 1), () -> new Document("a", 0),
      () -> new Document("_id", 0).append("a", 1), () -> new Document("a.seq", 1));

  private static final String[] OPERATORS = {"$set", "$unset", "$inc", "$min", "$max", "$setOnInsert",
      "$push", "$mul"};

  private final Channel channel = new EmbeddedChannel();

  @Test
  @DisplayName("20,000 random updates and findAndModify commands leave the ordered H2 store's documents and answers "
      + "exactly as the library's own update path leaves them")
  void sameDocumentsAndAnswersAsTheLibrary() {
    MongoBackend ours = DurableH2Backend.inMemory();
    MongoBackend reference = new MemoryBackend();
    Random random = new Random(13);
    for (MongoBackend backend : List.of(ours, reference)) {
      command(backend, "createIndexes", new Document("createIndexes", COLLECTION).append("indexes",
          List.of(new Document("key", new Document("b", 1)).append("name", "b_1"))));
    }
    for (int id = 0; id < 50; id++) {
      Document doc = new Document("_id", id);
      for (String field : FIELDS) {
        if (random.nextInt(3) > 0) {
          doc.put(field, value(random));
        }
      }
      insert(ours, doc.cloneDeeply());
      insert(reference, doc);
    }

    int flat = 0;
    int nextId = 50;
    for (int i = 0; i < 20_000; i++) {
      boolean upsert = random.nextInt(10) == 0;
      boolean multi = !upsert && random.nextInt(4) == 0;
      // Ids in insertion order, as the H2 backend keeps documents by id and the memory backend as they came: a scan
      // then meets them in the same order in both. An upsert's new document gets the next id.
      Document selector = upsert ? new Document("_id", random.nextInt(3) == 0 ? nextId++ : random.nextInt(50))
          : random.nextBoolean() ? new Document("_id", random.nextInt(52))
          : new Document(SELECTED[random.nextInt(SELECTED.length)], value(random));
      Document update = randomUpdate(random, upsert);
      flat += FlatUpdate.of(update, "_id") != null ? 1 : 0;
      String name;
      Document command;
      if (random.nextInt(3) == 0) {
        name = "findAndModify";
        command = new Document(name, COLLECTION).append("query", selector).append("update", update)
            .append("new", random.nextBoolean()).append("upsert", upsert);
        Document fields = PROJECTIONS.get(random.nextInt(PROJECTIONS.size())).get();
        if (fields != null) {
          command.put("fields", fields);
        }
        if (random.nextBoolean()) {
          command.put("sort", new Document("_id", random.nextBoolean() ? 1 : -1));
        }
      } else {
        name = "update";
        command = new Document(name, COLLECTION).append("updates", List.of(new Document("q", selector)
            .append("u", update).append("multi", multi).append("upsert", upsert)));
      }
      String ourAnswer = attempt(ours, name, command.cloneDeeply());
      String referenceAnswer = attempt(reference, name, command);
      String what = name + " " + i + ": " + command;
      assertEquals(referenceAnswer, ourAnswer, what);
      if (i % 50 == 0 || i == 19_999) {
        List<Object> expected = all(reference);
        List<Object> actual = all(ours);
        assertEquals(expected.size(), actual.size(), what);
        for (int d = 0; d < expected.size(); d++) {
          assertEquals(strict(expected.get(d)), strict(actual.get(d)), "since " + (i - 50) + ", " + what);
        }
      }
    }
    assertTrue(flat > 8_000, "most random updates take the flat path, else this tests the library: " + flat);
  }

  @Test
  @DisplayName("updates with dotted or positional paths, other operators, the id, or a field named twice are left to "
      + "the library")
  void leavesTheRestToTheLibrary() {
    assertNotNull(FlatUpdate.of(new Document("$inc", new Document("total", 1)).append("$max",
        new Document("latest", new Document("seq", 1L))), "_id"));
    assertNull(FlatUpdate.of(new Document("$set", new Document("a.b", 1)), "_id"));
    assertNull(FlatUpdate.of(new Document("$set", new Document("a.$", 1)), "_id"));
    assertNull(FlatUpdate.of(new Document("$set", new Document("_id", 1)), "_id"));
    assertNull(FlatUpdate.of(new Document("$push", new Document("a", 1)), "_id"));
    assertNull(FlatUpdate.of(new Document("$set", new Document("a", 1)).append("$inc", new Document("a", 1)), "_id"));
    assertNull(FlatUpdate.of(new Document("$inc", new Document("a", "1")), "_id"));
    assertNull(FlatUpdate.of(new Document("$max", new Document("a", List.of(1))), "_id"));
    assertNull(FlatUpdate.of(new Document("a", 1), "_id"), "a replacement");
    assertNull(FlatUpdate.of(new Document(), "_id"));
    Document document = new Document("_id", 1).append("a", "text");
    assertEquals(false, FlatUpdate.of(new Document("$inc", new Document("a", 1)), "_id").applyTo(document),
        "an increment of text is the library's to refuse");
  }

  private static Object value(Random random) {
    return VALUES.get(random.nextInt(VALUES.size())).get();
  }

  /** An update of random operators and fields; the id among them only when it cannot change (not an upsert). */
  private static Document randomUpdate(Random random, boolean upsert) {
    Document update = new Document();
    int operators = 1 + random.nextInt(3);
    for (int o = 0; o < operators; o++) {
      // mostly the flat path's operators; $push and $mul (the library's) now and then
      String operator = OPERATORS[random.nextInt(random.nextInt(10) == 0 ? OPERATORS.length : 6)];
      Document change = update.get(operator) instanceof Document existing ? existing : new Document();
      int fields = 1 + random.nextInt(2);
      for (int f = 0; f < fields; f++) {
        int pick = random.nextInt(40);
        String field = pick == 0 && !upsert ? "_id" : pick == 1 ? "a.seq" : FIELDS[random.nextInt(FIELDS.length)];
        Object value = operator.equals("$inc") || operator.equals("$mul")
            ? (random.nextInt(12) == 0 ? "1" : List.of(1, 2L, -1, 0.5, 0, (1L << 60)).get(random.nextInt(6)))
            : operator.equals("$unset") ? "" : value(random);
        change.put(field, value);
      }
      update.put(operator, change);
    }
    return update;
  }

  private void insert(MongoBackend backend, Document document) {
    Document answer = command(backend, "insert", new Document("insert", COLLECTION)
        .append("documents", List.of(document)));
    assertEquals(1, ((Number) answer.get("n")).intValue(), answer.toString());
  }

  private List<Object> all(MongoBackend backend) {
    Document answer = command(backend, "find", new Document("find", COLLECTION).append("filter", new Document())
        .append("sort", new Document("_id", 1)).append("batchSize", 1000));
    List<Object> documents = new ArrayList<>((List<?>) ((Document) answer.get("cursor")).get("firstBatch"));
    assertTrue(documents.size() >= 50);
    return documents;
  }

  /**
   * The answer, strictly written and without write errors' texts, or the error's class and code: the ordered unique
   * index words a duplicate key with its normalized value ({@code { _id: 1.0 }} where the library writes
   * {@code { _id: 1 }}), which is not the update's doing.
   */
  private String attempt(MongoBackend backend, String name, Document command) {
    try {
      return strict(withoutMessages(backend.handleCommand(channel, DB, name, command)));
    } catch (de.bwaldvogel.mongo.exception.MongoServerError e) {
      return "error " + e.getClass().getSimpleName() + " " + e.getCode();
    }
  }

  private Document command(MongoBackend backend, String name, Document command) {
    try {
      return backend.handleCommand(channel, DB, name, command);
    } catch (RuntimeException e) {
      fail(name + " failed: " + command, e);
      return null;
    }
  }

  /** An answer with its write errors' codes but not their texts (see {@link #attempt}). */
  @SuppressWarnings("unchecked")
  private static Document withoutMessages(Document answer) {
    Document copy = answer.cloneDeeply();
    if (copy.get("writeErrors") instanceof List<?> errors) {
      ((List<Object>) errors).forEach(error -> ((Document) error).remove("errmsg"));
    }
    return copy;
  }

  /** A value's text with each scalar's class, so that 5, 5L and 5.0 or two key orders never compare equal. */
  private static String strict(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder text = new StringBuilder("{");
      map.forEach((key, nested) -> text.append(key).append('=').append(strict(nested)).append(", "));
      return text.append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder text = new StringBuilder("[");
      list.forEach(nested -> text.append(strict(nested)).append(", "));
      return text.append(']').toString();
    }
    return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
  }
}
