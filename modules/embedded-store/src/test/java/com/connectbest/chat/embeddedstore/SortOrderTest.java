package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SortOrderTest {

  private static final List<Document> ORDERS = List.of(
      new Document("created_at", 1).append("_id", 1),
      new Document("a", -1),
      new Document("a", 1).append("b.c", -1),
      new Document("b.c", 1).append("_id", -1),
      new Document("tags", 1));

  @Test
  @DisplayName("Sorts exactly as the library's DocumentComparator, on random documents with missing, null, mixed-type, "
      + "array and nested values")
  void agreesWithTheLibrary() {
    Random random = new Random(11);
    for (Document orderBy : ORDERS) {
      DocumentComparator library = new DocumentComparator(orderBy);
      java.util.Comparator<Document> ours = SortOrder.of(orderBy);
      List<Document> documents = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        documents.add(randomDocument(random));
      }
      for (Document first : documents) {
        Document second = documents.get(random.nextInt(documents.size()));
        assertEquals(Integer.signum(library.compare(first, second)), Integer.signum(ours.compare(first, second)),
            orderBy + ": " + first + " against " + second);
      }
      List<Document> byLibrary = new ArrayList<>(documents);
      byLibrary.sort(library);
      List<Document> byOurs = new ArrayList<>(documents);
      byOurs.sort(ours);
      assertEquals(byLibrary, byOurs, orderBy.toString());
    }
    assertNull(SortOrder.of(null));
    assertNull(SortOrder.of(new Document()));
    assertNull(SortOrder.of(new Document("$natural", 1)));
  }

  private static Document randomDocument(Random random) {
    Document document = new Document("_id", new ObjectId());
    putSometimes(random, document, "created_at", () -> Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(50)));
    putSometimes(random, document, "a", () -> randomValue(random));
    putSometimes(random, document, "b", () -> random.nextBoolean() ? new Document("c", randomValue(random))
        : randomValue(random));
    putSometimes(random, document, "tags", () -> random.nextBoolean()
        ? new ArrayList<>(java.util.Arrays.asList(randomValue(random), randomValue(random))) : randomValue(random));
    return document;
  }

  private static void putSometimes(Random random, Document document, String key,
                                   java.util.function.Supplier<Object> value) {
    if (random.nextInt(6) != 0) {
      document.put(key, value.get());
    }
  }

  private static Object randomValue(Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> null;
      case 1 -> random.nextInt(5);
      case 2 -> random.nextInt(5) + 0.5;
      case 3 -> "s" + random.nextInt(5);
      case 4 -> random.nextBoolean();
      case 5 -> new Document("x", random.nextInt(3));
      default -> (long) random.nextInt(5);
    };
  }
}
