package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key of a collection's document map: the document's position (its {@code _id}). Upstream leaves it to H2's
 * {@link ObjectDataType}, which writes an {@link ObjectId} with Java serialization: an {@code ObjectOutputStream} per
 * key and about 110 bytes where 12 suffice. Every commit rewrites the changed pages of the map whole, keys included,
 * so on the send path a third of the store's commit time went to those streams, and at a million documents the
 * bloated keys made every page that is read back from the file slower to decode.
 *
 * <p>An {@link ObjectId} is written as a tag above every tag {@link ObjectDataType} writes, then its 12 bytes; every
 * other key as before. Files written before stay readable: an old key is read by H2's own type and rewritten compactly
 * the next time its page is written. The order is H2's own (what the file's pages are already sorted by): two
 * ObjectIds or two strings compare as {@link ObjectDataType} compares them, by their natural order.
 */
final class PositionKeyType extends BasicDataType<Object> {

  static final PositionKeyType INSTANCE = new PositionKeyType();

  /** Above every tag {@link ObjectDataType} writes (0..119), and not {@link BsonDocumentType#BSON_TAG}. */
  static final byte OBJECT_ID_TAG = (byte) 0xB6;

  /**
   * H2's type for every other key, one per thread: an {@link ObjectDataType} caches the type of the last value it
   * saw, so one instance shared by the worker threads (comparing) and the committing thread (writing) can compare
   * two serialized keys with a type it switched to meanwhile and fail ("Can not compare"). H2 gives each map its own
   * instance; this type serves every collection, hence one per thread.
   */
  private static final ThreadLocal<ObjectDataType> LEGACY = ThreadLocal.withInitial(ObjectDataType::new);

  private PositionKeyType() {
  }

  @Override
  public Object[] createStorage(int size) {
    return new Object[size];
  }

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof ObjectId x && b instanceof ObjectId y) {
      return x.compareTo(y); // what H2 does for two Comparables of one class, without building a type per call
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    return LEGACY.get().compare(a, b);
  }

  @Override
  public int getMemory(Object key) {
    return key instanceof ObjectId ? 48 : LEGACY.get().getMemory(key);
  }

  @Override
  public void write(WriteBuffer buffer, Object key) {
    if (key instanceof ObjectId id) {
      buffer.put(OBJECT_ID_TAG).put(id.toByteArray());
      return;
    }
    LEGACY.get().write(buffer, key);
  }

  @Override
  public Object read(ByteBuffer buffer) {
    if (buffer.get(buffer.position()) != OBJECT_ID_TAG) {
      return LEGACY.get().read(buffer);
    }
    buffer.get();
    byte[] bytes = new byte[12];
    buffer.get(bytes);
    return new ObjectId(bytes);
  }
}
