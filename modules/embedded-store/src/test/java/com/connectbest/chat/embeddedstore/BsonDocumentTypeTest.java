package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BsonDocumentTypeTest {

  private final BsonDocumentType type = new BsonDocumentType();

  private static Document message() {
    return new Document("_id", new ObjectId())
        .append("channel_id", "dm_0123456789abcdef01234567_0123456789abcdef01234568")
        .append("seq", 42L)
        .append("reply_count", 3)
        .append("score", 0.5)
        .append("is_deleted", false)
        .append("edited_at", null)
        .append("created_at", Instant.parse("2026-12-03T16:00:00.123Z"))
        .append("attachments", List.of(new Document("name", "a.png").append("size", 12)))
        .append("bot", new Document("name", "Reminder").append("icon_url", null));
  }

  @Test
  @DisplayName("A document written as BSON reads back equal, field order and value types included")
  void roundTrips() {
    Document original = message();
    WriteBuffer buffer = new WriteBuffer();
    type.write(buffer, original);
    ByteBuffer bytes = buffer.getBuffer().flip();
    assertEquals(BsonDocumentType.BSON_TAG, bytes.get(0));
    Document read = (Document) type.read(bytes);
    assertEquals(original, read);
    assertEquals(List.copyOf(original.keySet()), List.copyOf(read.keySet()));
    assertEquals(Long.class, read.get("seq").getClass());
    assertEquals(Integer.class, read.get("reply_count").getClass());
    assertEquals(0, bytes.remaining(), "the read stops where the value ends");
  }

  @Test
  @DisplayName("Values written by H2's default type before, next to BSON ones on the same page, still read")
  void readsValuesOfTheDefaultType() {
    Document old = message();
    Document current = message().append("seq", 43L);
    WriteBuffer buffer = new WriteBuffer();
    new ObjectDataType().write(buffer, old);
    type.write(buffer, current);
    ByteBuffer bytes = buffer.getBuffer().flip();
    assertEquals(old, type.read(bytes));
    assertEquals(current, type.read(bytes));
  }

  private static byte[] written(BsonDocumentType type, Document document) {
    WriteBuffer buffer = new WriteBuffer();
    type.write(buffer, document);
    ByteBuffer bytes = buffer.getBuffer().flip();
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    return copy;
  }

  @Test
  @DisplayName("A stored document written by a later commit again reuses its first encoding, byte for byte")
  void reusesTheEncodingOfTheSameDocument() {
    BsonDocumentType fresh = new BsonDocumentType(false);
    Document stored = message();
    byte[] first = written(fresh, stored);
    assertEquals(1, fresh.cachedEncodings());
    assertArrayEquals(first, written(fresh, stored));
    assertEquals(1, fresh.cachedEncodings(), "the second write was answered from the cache");
    Document equalButAnother = message().append("_id", stored.get("_id"));
    written(fresh, equalButAnother);
    assertEquals(2, fresh.cachedEncodings(), "documents are told apart by identity, not by content");
  }

  @Test
  @DisplayName("With checking on, a stored document changed in place fails the write instead of writing stale bytes")
  void checkingCatchesAChangeInPlace() {
    BsonDocumentType checking = new BsonDocumentType(true);
    Document stored = message();
    written(checking, stored);
    assertArrayEquals(written(new BsonDocumentType(false), stored), written(checking, stored));
    stored.put("seq", 43L);
    IllegalStateException stale = assertThrows(IllegalStateException.class, () -> written(checking, stored));
    assertTrue(stale.getMessage().contains("changed in place"), stale.getMessage());
  }

  @Test
  @DisplayName("The encoding of a document nothing holds any more leaves the cache")
  void forgetsCollectedDocuments() throws InterruptedException {
    BsonDocumentType fresh = new BsonDocumentType(false);
    for (int i = 0; i < 1_000; i++) {
      written(fresh, message().append("seq", (long) i));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (fresh.cachedEncodings() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, fresh.cachedEncodings());
  }

  /** An event-log entry as the messages service writes one: the whole rendered message, nested. */
  private static Document event(long seq) {
    Document message = new Document("id", "0123456789abcdef0123456a")
        .append("channel_id", "0123456789abcdef01234567").append("seq", seq)
        .append("content", "A message of an ordinary length, about a hundred characters, as people write them daily.")
        .append("user", new Document("id", "0123456789abcdef01234568").append("username", "someone")
            .append("display_name", "Some One").append("avatar_url", null).append("status", "online"))
        .append("attachments", List.of()).append("reactions", List.of()).append("reply_count", 0)
        .append("is_edited", false).append("is_deleted", false).append("is_pinned", false).append("is_bot", false)
        .append("parent_message_id", null).append("created_at", "2026-12-05T15:00:00.000Z")
        .append("updated_at", "2026-12-05T15:00:00.000Z");
    return new Document("_id", new ObjectId()).append("channel_id", "0123456789abcdef01234567").append("seq", seq)
        .append("event", new Document("type", "new_message").append("seq", seq)
            .append("data", new Document("message", message)))
        .append("at", Instant.parse("2026-12-05T15:00:00.123Z"));
  }

  @Test
  @DisplayName("A nested document counts with what it holds, so pages of large events split early: appending one writes about 20 KB a commit here instead of 36 KB")
  void nestedDocumentsWeighWhatTheyHold(@TempDir Path dir) throws Exception {
    Document event = event(1);
    int estimate = BsonDocumentType.memory(event);
    int encoded = written(new BsonDocumentType(false), event).length;
    assertTrue(estimate > 20 * 48, "an event's estimate: " + estimate);
    assertTrue(estimate > encoded / 2, "the estimate is of the order of the encoded size");
    Path file = dir.resolve("events.mv.db");
    MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    try {
      MVMap<Object, Object> events = store.openMap("events",
          new MVMap.Builder<Object, Object>().keyType(PositionKeyType.INSTANCE).valueType(new BsonDocumentType()));
      appendEach(store, events, 1, 300);
      // Each commit of a fresh file appends its chunk at the end, so the file's growth is what the commits wrote
      // (in whole 4 KB blocks, with the store's own metadata: most of the 20 KB).
      long before = Files.size(file);
      int commits = 200;
      appendEach(store, events, 301, 300 + commits);
      long perCommit = (Files.size(file) - before) / commits;
      System.out.printf("appending one event: %d bytes a commit (%d bytes of BSON each, estimate %d)%n", perCommit,
          encoded, estimate);
      assertTrue(perCommit < 27_000, "bytes written per appended event: " + perCommit);
    } finally {
      store.close();
    }
  }

  /** Events {@code from}..{@code to}, each put and committed on its own, as a send's event-log append is. */
  private static void appendEach(MVStore store, MVMap<Object, Object> events, long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      Document appended = event(seq);
      events.put(appended.get("_id"), appended);
      store.commit();
    }
  }
}
