package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PositionKeyTypeTest {

  private final PositionKeyType type = PositionKeyType.INSTANCE;
  private final ObjectDataType h2 = new ObjectDataType();

  @Test
  @DisplayName("An ObjectId key takes 13 bytes instead of H2's Java serialization, and every key reads back equal")
  void compactAndRoundTrips() {
    ObjectId id = new ObjectId();
    WriteBuffer compact = new WriteBuffer();
    type.write(compact, id);
    WriteBuffer serialized = new WriteBuffer();
    h2.write(serialized, id);
    assertEquals(13, compact.position());
    assertTrue(serialized.position() > 60, "H2's default wrote " + serialized.position() + " bytes");

    List<Object> keys = List.of(new ObjectId(), "general", 42L, 7, UUID.randomUUID(), new ObjectId());
    WriteBuffer buffer = new WriteBuffer();
    keys.forEach(key -> type.write(buffer, key));
    ByteBuffer bytes = buffer.getBuffer().flip();
    for (Object key : keys) {
      assertEquals(key, type.read(bytes));
    }
    assertEquals(0, bytes.remaining());
  }

  @Test
  @DisplayName("Keys compare exactly as H2's default type compares them, so pages already on disk stay in order")
  void ordersAsH2Does() {
    Random random = new Random(11);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      keys.add(switch (random.nextInt(5)) {
        case 0, 1 -> new ObjectId();
        case 2 -> "k" + random.nextInt(1000);
        case 3 -> (long) random.nextInt(1000);
        default -> UUID.randomUUID();
      });
    }
    for (Object a : keys) {
      for (int j = 0; j < 20; j++) {
        Object b = keys.get(random.nextInt(keys.size()));
        assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(type.compare(a, b)), a + " vs " + b);
      }
    }
  }

  @Test
  @DisplayName("Keys left to H2's type are compared and written by many threads at once without failing")
  void otherKeysAreSafeAcrossThreads() throws Exception {
    PositionKeyType type = PositionKeyType.INSTANCE;
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        runs.add(threads.submit(() -> {
          Random random = new Random(seed);
          org.h2.mvstore.WriteBuffer buffer = new org.h2.mvstore.WriteBuffer();
          for (int i = 0; i < 200_000; i++) {
            // keys H2 serializes (Instants) compared while other threads write keys of other types
            java.time.Instant a = java.time.Instant.ofEpochMilli(random.nextInt());
            java.time.Instant b = java.time.Instant.ofEpochMilli(random.nextInt());
            assertEquals(Integer.signum(a.compareTo(b)), Integer.signum(type.compare(a, b)));
            buffer.clear();
            type.write(buffer, i % 2 == 0 ? (Object) (long) i : (Object) ("k" + i));
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> run : runs) {
        run.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName("A file whose document map was written with H2's default keys opens, reads, takes writes and reopens")
  void upgradesAFileWrittenBefore(@TempDir Path dir) {
    String file = dir.resolve("store.mv").toString();
    TreeMap<Object, String> expected = new TreeMap<>(h2::compare);
    // Auto-commit off (as the application opens its store): H2's background commit would write keys with the map's
    // ObjectDataType while this thread compares with it, and that type is not safe for it (see PositionKeyType).
    try (MVStore store = new MVStore.Builder().fileName(file).autoCommitDisabled().open()) {
      MVMap<Object, String> map = store.openMap("documents");  // H2's default key type, as upstream writes
      for (int i = 0; i < 2_000; i++) {
        Object key = i % 3 == 0 ? "s" + i : new ObjectId();
        map.put(key, "v" + i);
        expected.put(key, "v" + i);
      }
      store.commit();
    }
    try (MVStore store = new MVStore.Builder().fileName(file).open()) {
      MVMap<Object, String> map = store.openMap("documents",
          new MVMap.Builder<Object, String>().keyType(PositionKeyType.INSTANCE));
      assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(map.keySet()), "old keys, in order");
      expected.forEach((key, value) -> assertEquals(value, map.get(key)));
      Random random = new Random(3);
      for (int i = 0; i < 2_000; i++) {  // random ids land between old ones: pages holding both are rewritten
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        ObjectId key = new ObjectId(bytes);
        map.put(key, "new" + i);
        expected.put(key, "new" + i);
      }
      map.remove(expected.firstKey());
      expected.remove(expected.firstKey());
      store.commit();
    }
    try (MVStore store = new MVStore.Builder().fileName(file).open()) {
      MVMap<Object, String> map = store.openMap("documents",
          new MVMap.Builder<Object, String>().keyType(PositionKeyType.INSTANCE));
      assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(map.keySet()));
      expected.forEach((key, value) -> assertEquals(value, map.get(key)));
    }
  }
}
