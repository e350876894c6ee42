package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/** A query's shape for the store's logs ({@link ScanLog}, {@link SlowCommandLog}): what decides its cost, no values. */
final class QueryShape {

  private QueryShape() {
  }

  /**
   * Field names and operators without their values; a list of values (an {@code $in}) is one {@code "?list"}
   * whatever its length, so that the same query with another number of ids has the same shape.
   */
  static Object of(Object value) {
    if (value instanceof Document document) {
      Document shape = new Document();
      document.forEach((key, inner) -> shape.put(key, of(inner)));
      return shape;
    }
    if (value instanceof List<?> list) {
      return list.stream().anyMatch(item -> item instanceof Document || item instanceof List)
          ? list.stream().map(QueryShape::of).toList() : "?list";
    }
    return "?";
  }
}
