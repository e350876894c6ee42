package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * Stores a collection's documents as BSON instead of H2's default Java serialization. Copy-on-write means every
 * commit re-serializes each changed page whole, so with Java serialization (class descriptors, reflection) a
 * commit that touched the last page of {@code messages} rewrote dozens of documents slowly, and every other writer
 * waited for it. BSON is what the wire protocol already decoded these documents from, so it round-trips them.
 *
 * <p>Files written before keep their values: each value starts with a tag byte, H2's {@link ObjectDataType} only
 * writes tags below 128, and this type's tag is above, so an old value is read by H2's own type and rewritten as BSON
 * the next time its page is written. A value BSON cannot carry (none is expected) is written the old way too.
 */
final class BsonDocumentType extends BasicDataType<Object> {

  /** Above every tag {@link ObjectDataType} writes (0..119). */
  static final byte BSON_TAG = (byte) 0xB5;

  /**
   * Set in the test suites: every cached encoding is compared with a fresh one, and a difference (a stored document
   * changed in place) fails the commit instead of writing stale bytes.
   */
  static final String CHECK_PROPERTY = "connectbest.store.checkEncodings";

  private final ObjectDataType legacy = new ObjectDataType();
  private final StoredEncodings encodings = new StoredEncodings();
  private final boolean checkCached;

  BsonDocumentType() {
    this(Boolean.getBoolean(CHECK_PROPERTY));
  }

  BsonDocumentType(boolean checkCached) {
    this.checkCached = checkCached;
  }

  @Override
  public Object[] createStorage(int size) {
    return new Object[size];
  }

  @Override
  public int getMemory(Object value) {
    return value instanceof Document document ? memory(document) : legacy.getMemory(value);
  }

  /**
   * The page-split and cache estimate of a document: 64, and 48 per field plus the fields of what it nests (documents
   * and arrays, in full). H2 splits a page above 16 KB of this estimate (or 48 entries), and a commit rewrites each
   * changed leaf whole. Counted as one field each, nested documents let the event log's pages (every event carries the
   * whole rendered message) grow to 48 entries of about 1 KB: appending an event rewrote 25 to 50 KB, 45 % of all the
   * bytes a send wrote. Strings stay counted as fields, so flat documents (messages, memberships) weigh about what
   * they did and the page cache, sized in this estimate, holds as many of them. H2 samples the estimate, so the walk
   * is cheap.
   */
  static int memory(Document document) {
    int memory = 64;
    for (Object value : document.values()) {
      memory += 48 + contents(value);
    }
    return memory;
  }

  private static int contents(Object value) {
    if (value instanceof Document nested) {
      return memory(nested);
    }
    if (value instanceof Collection<?> items) {
      int memory = 24;
      for (Object item : items) {
        memory += 16 + contents(item);
      }
      return memory;
    }
    return 0;
  }

  @Override
  public void write(WriteBuffer buffer, Object value) {
    if (value instanceof Document document) {
      byte[] bytes = encodings.get(document);
      if (bytes == null || checkCached) {
        byte[] fresh = encode(document);
        if (fresh == null) {
          legacy.write(buffer, value);
          return;
        }
        if (bytes != null && !Arrays.equals(bytes, fresh)) {
          throw new IllegalStateException("A stored document was changed in place after it was written: "
              + document.keySet());
        }
        if (bytes == null) {
          encodings.put(document, fresh);
        }
        bytes = fresh;
      }
      buffer.put(BSON_TAG).putVarInt(bytes.length).put(bytes);
      return;
    }
    legacy.write(buffer, value);
  }

  /** The document as BSON, or null when BSON cannot carry one of its values. */
  private static byte[] encode(Document document) {
    ByteBuf bson = Unpooled.buffer(256);
    try {
      BsonEncoder.encodeDocument(document, bson);
      byte[] bytes = new byte[bson.readableBytes()];
      bson.readBytes(bytes);
      return bytes;
    } catch (RuntimeException notBson) {
      return null;
    } finally {
      bson.release();
    }
  }

  /** Drops the kept encoding of a document that is about to be stored again after a change in place. */
  void forget(Object document) {
    encodings.remove(document);
  }

  /** Cached encodings (for tests). */
  int cachedEncodings() {
    return encodings.size();
  }

  @Override
  public Object read(ByteBuffer buffer) {
    if (buffer.get(buffer.position()) != BSON_TAG) {
      return legacy.read(buffer);
    }
    buffer.get();
    int length = DataUtils.readVarInt(buffer);
    ByteBuf bson = Unpooled.wrappedBuffer(buffer.slice().limit(length));
    Document document = BsonDecoder.decodeBson(bson);
    buffer.position(buffer.position() + length);
    return document;
  }
}
