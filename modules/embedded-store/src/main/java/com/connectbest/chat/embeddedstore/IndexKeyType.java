package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key of an {@link OrderedIndex} entry: the document's normalized index values followed by its position (the
 * {@code _id}), ordered by MongoDB's own value order. H2's default key type orders {@code KeyValue}s by their
 * serialized bytes, which is why upstream indexes can answer only exact matches; this order makes range scans,
 * prefix scans and sorted reads possible.
 *
 * <p>Common BSON types get a compact tagged encoding; anything else falls back to H2's object serialization.
 * {@link #LOW} and {@link #HIGH} only appear in search bounds and are never stored.
 */
final class IndexKeyType extends BasicDataType<Object[]> {

  static final IndexKeyType INSTANCE = new IndexKeyType();

  /** Sorts before every value: a search bound. */
  static final Object LOW = new Bound("LOW");
  /** Sorts after every value: a search bound. */
  static final Object HIGH = new Bound("HIGH");

  private static final byte NULL = 0;
  private static final byte DOUBLE = 1;
  private static final byte LONG = 2;
  private static final byte INT = 3;
  private static final byte STRING = 4;
  private static final byte OBJECT_ID = 5;
  private static final byte FALSE = 6;
  private static final byte TRUE = 7;
  private static final byte INSTANT = 8;
  private static final byte OTHER = 9;

  private final ObjectDataType fallback = new ObjectDataType();

  private IndexKeyType() {
  }

  @Override
  public int compare(Object[] a, Object[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = compareValues(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  static int compareValues(Object x, Object y) {
    if (x == y) {
      return 0;
    }
    if (x == LOW || y == HIGH) {
      return -1;
    }
    if (x == HIGH || y == LOW) {
      return 1;
    }
    return ValueComparator.ascWithoutListHandling().compare(x, y);
  }

  @Override
  public int getMemory(Object[] key) {
    int memory = 24;
    for (Object value : key) {
      memory += value instanceof String s ? 40 + 2 * s.length() : 24;
    }
    return memory;
  }

  @Override
  public void write(WriteBuffer buff, Object[] key) {
    buff.putVarInt(key.length);
    for (Object value : key) {
      writeValue(buff, value);
    }
  }

  private void writeValue(WriteBuffer buff, Object value) {
    if (value == null || value instanceof de.bwaldvogel.mongo.backend.Missing) {
      buff.put(NULL);
    } else if (value instanceof Double d) {
      buff.put(DOUBLE).putDouble(d);
    } else if (value instanceof Long l) {
      buff.put(LONG).putVarLong(l);
    } else if (value instanceof Integer i) {
      buff.put(INT).putVarInt(i);
    } else if (value instanceof String s) {
      buff.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
    } else if (value instanceof ObjectId id) {
      buff.put(OBJECT_ID).put(id.toByteArray());
    } else if (value instanceof Boolean b) {
      buff.put(b ? TRUE : FALSE);
    } else if (value instanceof Instant t) {
      buff.put(INSTANT).putVarLong(t.getEpochSecond()).putVarInt(t.getNano());
    } else if (value instanceof Bound) {
      throw new IllegalArgumentException("search bounds are never stored");
    } else {
      buff.put(OTHER);
      fallback.write(buff, value);
    }
  }

  @Override
  public Object[] read(ByteBuffer buff) {
    Object[] key = new Object[DataUtils.readVarInt(buff)];
    for (int i = 0; i < key.length; i++) {
      key[i] = readValue(buff);
    }
    return key;
  }

  private Object readValue(ByteBuffer buff) {
    byte tag = buff.get();
    return switch (tag) {
      case NULL -> null;
      case DOUBLE -> buff.getDouble();
      case LONG -> DataUtils.readVarLong(buff);
      case INT -> DataUtils.readVarInt(buff);
      case STRING -> DataUtils.readString(buff, DataUtils.readVarInt(buff));
      case OBJECT_ID -> {
        byte[] bytes = new byte[12];
        buff.get(bytes);
        yield new ObjectId(bytes);
      }
      case FALSE -> Boolean.FALSE;
      case TRUE -> Boolean.TRUE;
      case INSTANT -> Instant.ofEpochSecond(DataUtils.readVarLong(buff), DataUtils.readVarInt(buff));
      case OTHER -> fallback.read(buff);
      default -> throw new IllegalStateException("Unknown index key tag " + tag);
    };
  }

  @Override
  public Object[][] createStorage(int size) {
    return new Object[size][];
  }

  private record Bound(String name) {
  }
}
