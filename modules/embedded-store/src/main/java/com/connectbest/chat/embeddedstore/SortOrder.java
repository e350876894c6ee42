package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Comparator;

/**
 * The order of a query's {@code sort}, as the library's {@link DocumentComparator} gives it, but with the keys read
 * once: the library splits each key path with a stream on every comparison, which made sorting a history page's
 * 500 reactions cost more than reading them (benchmark 7). A top-level key is read straight from the document (what
 * the library's path lookup does for a one-part path); a dotted key still goes through the library.
 */
final class SortOrder implements Comparator<Document> {

  private final String[] keys;
  private final boolean[] topLevel;
  private final ValueComparator[] comparators;

  private SortOrder(Document orderBy) {
    int size = orderBy.size();
    keys = new String[size];
    topLevel = new boolean[size];
    comparators = new ValueComparator[size];
    int i = 0;
    for (String key : orderBy.keySet()) {
      keys[i] = key;
      topLevel[i] = !key.isEmpty() && key.indexOf('.') < 0;
      comparators[i] = ((Number) orderBy.get(key)).intValue() > 0 ? ValueComparator.asc() : ValueComparator.desc();
      i++;
    }
  }

  /** The comparator for {@code orderBy}, or null where the library would sort nothing (none, or {@code $natural}). */
  static Comparator<Document> of(Document orderBy) {
    if (orderBy == null || orderBy.isEmpty() || orderBy.keySet().iterator().next().equals("$natural")) {
      return null;
    }
    return new SortOrder(orderBy);
  }

  @Override
  public int compare(Document first, Document second) {
    for (int i = 0; i < keys.length; i++) {
      int cmp = comparators[i].compare(value(first, i), value(second, i));
      if (cmp != 0) {
        return cmp;
      }
    }
    return 0;
  }

  private Object value(Document document, int i) {
    return topLevel[i] ? document.getOrMissing(keys[i]) : Utils.getSubdocumentValueCollectionAware(document, keys[i]);
  }
}
