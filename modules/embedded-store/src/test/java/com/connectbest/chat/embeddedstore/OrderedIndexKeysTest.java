package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link OrderedIndex#getKeyValues}'s fast path against upstream's computation, which it must equal. */
class OrderedIndexKeysTest {

  private static final List<List<String>> KEY_SETS = List.of(List.of("a"), List.of("a", "b"), List.of("c", "a", "b"),
      List.of("d.x"), List.of("a", "d.x"), List.of("b", "d"));

  @Test
  @DisplayName("Every index's key values equal upstream's, errors included, on 20,000 random documents")
  void keysEqualUpstream() {
    MVStore store = new MVStore.Builder().open();
    Random random = new Random(5);
    int fast = 0;
    for (List<String> names : KEY_SETS) {
      List<IndexKey> keys = names.stream().map(name -> new IndexKey(name, true)).toList();
      OrderedIndex ours = new OrderedIndex(LoggedMaps.plain(store), "test." + names, "i", keys, false, false, "_id");
      Index<Object> upstream = new Upstream(keys);
      for (int i = 0; i < 20_000 / KEY_SETS.size(); i++) {
        Document document = document(random, 0);
        String expected = outcome(upstream, document);
        assertEquals(expected, outcome(ours, document), () -> names + " of " + document);
        if (names.stream().allMatch(name -> !name.contains(".")
            && !(document.get(name) instanceof java.util.Collection<?>) && !(document.get(name) instanceof Document))) {
          fast++;
        }
      }
    }
    // Most documents took the fast path (no arrays or embedded documents at the indexed fields).
    assertTrue(fast > 5_000, "fast path taken " + fast + " times");
    store.close();
  }

  @Test
  @DisplayName("Whether an update changes an index's key is answered as upstream answers it, on 20,000 random pairs")
  void keyChangesEqualUpstream() {
    MVStore store = new MVStore.Builder().open();
    Random random = new Random(7);
    int unchanged = 0;
    for (List<String> names : KEY_SETS) {
      List<IndexKey> keys = names.stream().map(name -> new IndexKey(name, true)).toList();
      OrderedIndex ours = new OrderedIndex(LoggedMaps.plain(store), "test.pairs." + names, "i", keys, false, false,
          "_id");
      Upstream upstream = new Upstream(keys);
      for (int i = 0; i < 20_000 / KEY_SETS.size(); i++) {
        Document before = document(random, 0);
        Document after = changed(random, before);
        String expected = sameKey(upstream, before, after);
        assertEquals(expected, sameKey(ours, before, after), () -> names + " of " + before + " -> " + after);
        if ("true".equals(expected)) {
          unchanged++;
        }
      }
    }
    assertTrue(unchanged > 3_000, "pairs with an unchanged key: " + unchanged);
    store.close();
  }

  /** A copy with a few fields changed, removed, or set to the same number in another type (1, 1L, 1.0). */
  private static Document changed(Random random, Document original) {
    Document copy = new Document(original);
    for (String field : List.of("a", "b", "c", "d", "x")) {
      switch (random.nextInt(8)) {
        case 0 -> copy.put(field, value(random, 0));
        case 1 -> copy.remove(field);
        case 2 -> copy.put(field, null);
        case 3 -> {
          if (copy.get(field) instanceof Number number) {
            copy.put(field, random.nextBoolean() ? (Object) number.doubleValue() : (Object) number.longValue());
          }
        }
        default -> {
        }
      }
    }
    return copy;
  }

  private static String sameKey(Index<Object> index, Document before, Document after) {
    try {
      return String.valueOf(index instanceof Upstream upstream ? upstream.nullAwareEqualsKeys(before, after)
          : ((OrderedIndex) index).nullAwareEqualsKeys(before, after));
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  @DisplayName("A sparse index leaves out exactly the documents that lack every indexed field")
  void sparseSkipsDocumentsWithoutTheFields() {
    MVStore store = new MVStore.Builder().open();
    OrderedIndex index = new OrderedIndex(LoggedMaps.plain(store), "test.sparse", "i",
        List.of(new IndexKey("a", true), new IndexKey("b", true)), true, false, "_id");
    index.add(new Document("_id", 1).append("c", 1), 1, null);
    index.add(new Document("_id", 2).append("a", null), 2, null);
    index.add(new Document("_id", 3).append("b", 5), 3, null);
    assertEquals(2, index.getCount());
    store.close();
  }

  private static String outcome(Index<Object> index, Document document) {
    try {
      return index.getKeyValues(document).toString();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static Document document(Random random, int depth) {
    Document document = new Document("_id", new ObjectId());
    for (String field : List.of("a", "b", "c", "d", "x")) {
      if (random.nextInt(5) > 0) {
        document.put(field, value(random, depth));
      }
    }
    return document;
  }

  private static Object value(Random random, int depth) {
    return switch (random.nextInt(depth < 2 ? 16 : 13)) {
      case 0 -> null;
      case 1 -> random.nextInt(100) - 50;
      case 2 -> (long) random.nextInt(100);
      case 3 -> (1L << 53) + 1 + random.nextInt(5);
      case 4 -> random.nextBoolean() ? -0.0 : 0.0;
      case 5 -> random.nextInt(3) == 0 ? Double.NaN : random.nextDouble();
      case 6 -> "s" + random.nextInt(10);
      case 7 -> random.nextBoolean();
      case 8 -> Instant.ofEpochMilli(random.nextInt(1_000_000));
      case 9 -> new ObjectId();
      case 10 -> (short) random.nextInt(10);
      case 11 -> random.nextFloat();
      case 12 -> new java.math.BigDecimal(random.nextInt(100));
      case 13 -> document(random, depth + 1);
      case 14 -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          list.add(value(random, depth + 1));
        }
        yield list;
      }
      default -> List.of(document(random, depth + 1), document(random, depth + 1));
    };
  }

  /** Upstream's key computation, untouched: only the abstract storage methods are stubbed. */
  private static final class Upstream extends Index<Object> {
    Upstream(List<IndexKey> keys) {
      super("upstream", keys, false);
    }

    @Override
    public Object getPosition(Document document) {
      return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
    }

    @Override
    public Object remove(Document document) {
      return null;
    }

    @Override
    public boolean canHandle(Document query) {
      return false;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
      return List.of();
    }

    @Override
    public long getCount() {
      return 0;
    }

    @Override
    public long getDataSize() {
      return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position,
                              MongoCollection<Object> collection) {
    }

    @Override
    public void drop() {
    }

    @Override
    protected boolean nullAwareEqualsKeys(Document oldDocument, Document newDocument) {
      return super.nullAwareEqualsKeys(oldDocument, newDocument);
    }
  }
}
