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
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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
}
