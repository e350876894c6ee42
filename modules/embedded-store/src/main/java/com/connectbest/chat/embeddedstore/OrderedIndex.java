package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A unique or non-unique index over an H2 {@link MVMap} kept in MongoDB's value order ({@link IndexKeyType}): each
 * entry's key is the document's index values followed by its position, so equal values are kept apart and a range
 * of values is one contiguous, counted run of the map. {@link IndexScan} reads such runs forwards or backwards.
 *
 * <p>It replaces upstream's unique index (exact matches only) and its secondary index (accepted, then ignored).
 * Positions are the documents' {@code _id} values, as in the H2 backend's collections.
 *
 * <p>A partial index ({@code partialFilterExpression}, which upstream stores and ignores) holds only the documents
 * its filter matches, and a query may read it only when every document the query can match is in it
 * ({@link #covers}); otherwise it is kept up to date but not read, as MongoDB does.
 */
final class OrderedIndex extends Index<Object> {

  private static final String MULTIKEY = "multikey";

  private final MVMap<Object[], Boolean> entries;
  /** Whether any document ever produced several keys (arrays): such an index cannot give sorted reads. */
  private final MVMap<String, Boolean> meta;
  private final String idField;
  private final boolean unique;
  /**
   * The indexed field names when none is a path ({@code a.b}) or an operator: then a document's key is read field by
   * field ({@link #getKeyValues}), not through upstream's path walk, which splits every name with a regular
   * expression and builds maps and streams on each call (a third of the bytes a send allocated). Null otherwise.
   */
  private final String[] flatKeys;
  /** The partial filter, field by field (each a top-level field name), or null for an index of every document. */
  private final Document partialFilter;
  private volatile boolean multikey;

  OrderedIndex(LoggedMaps maps, String mapName, String name, List<IndexKey> keys, boolean sparse, boolean unique,
               String idField) {
    this(maps, mapName, name, keys, sparse, unique, idField, null);
  }

  OrderedIndex(LoggedMaps maps, String mapName, String name, List<IndexKey> keys, boolean sparse, boolean unique,
               String idField, Document partialFilter) {
    super(name, keys, sparse);
    this.partialFilter = checkedFilter(name, partialFilter);
    this.entries = maps.open(mapName);
    this.meta = maps.open(mapName + ".meta");
    this.idField = idField;
    this.unique = unique;
    this.multikey = Boolean.TRUE.equals(meta.get(MULTIKEY));
    List<String> names = keys.stream().map(IndexKey::getKey).toList();
    this.flatKeys = names.stream().allMatch(OrderedIndex::isFlat) ? names.toArray(String[]::new) : null;
  }

  private static boolean isFlat(String key) {
    return !key.isEmpty() && key.indexOf('.') < 0 && !key.startsWith("$");
  }

  /** The operators MongoDB accepts in a partial filter, less {@code $and} and {@code $or} (not needed here). */
  private static final Set<String> FILTER_OPERATORS = Set.of("$eq", "$exists", "$gt", "$gte", "$lt", "$lte", "$type");

  /**
   * The filter, refused with MongoDB's error (67, CannotCreateIndex) unless each of its conditions is on a top-level
   * field and is a value or uses only {@link #FILTER_OPERATORS} ({@code $exists} only as true). Negations are out for
   * the reason MongoDB has: "no element of an array" cannot be implied by an equality on one element.
   */
  private static Document checkedFilter(String name, Document filter) {
    if (filter == null || filter.isEmpty()) {
      return null;
    }
    for (Map.Entry<String, Object> condition : filter.entrySet()) {
      boolean supported = isFlat(condition.getKey());
      if (supported && condition.getValue() instanceof Document operators && isOperators(operators)) {
        for (Map.Entry<String, Object> operator : operators.entrySet()) {
          supported &= FILTER_OPERATORS.contains(operator.getKey())
              && (!operator.getKey().equals("$exists") || Boolean.TRUE.equals(operator.getValue()));
        }
      }
      if (!supported) {
        throw new MongoServerError(67, "CannotCreateIndex", "Index " + name
            + ": unsupported condition in partialFilterExpression: " + condition.getKey() + " " + condition.getValue());
      }
    }
    return filter;
  }

  private static boolean isOperators(Document condition) {
    return !condition.isEmpty() && condition.keySet().iterator().next().startsWith("$");
  }

  Document partialFilter() {
    return partialFilter;
  }

  /**
   * Whether every document the query can match is in this index, so that reading it answers the query: always for a
   * full index; for a partial one when the query has, for each field of the filter, the same condition, or an
   * equality (or an {@code $in} of values) that the filter's condition accepts. Anything else (no condition on the
   * field, a range, a regular expression, null) is not analysed and the index is not read.
   */
  boolean covers(Document query) {
    if (partialFilter == null) {
      return true;
    }
    for (Map.Entry<String, Object> condition : partialFilter.entrySet()) {
      String field = condition.getKey();
      if (!query.containsKey(field)) {
        return false;
      }
      Object asked = query.get(field);
      if (Objects.equals(asked, condition.getValue())) {
        continue;
      }
      if (asked instanceof Document operators && isOperators(operators)) {
        if (!(operators.size() == 1 && operators.get("$in") instanceof Collection<?> values) || values.isEmpty()) {
          return false;
        }
        for (Object value : values) {
          if (!accepts(field, value, condition.getValue())) {
            return false;
          }
        }
      } else if (!accepts(field, asked, condition.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Whether a document whose field equals the value (a scalar) passes the filter's condition on that field. */
  private static boolean accepts(String field, Object value, Object condition) {
    if (value == null || value instanceof Missing || value instanceof Document || value instanceof Collection<?>
        || value instanceof java.util.regex.Pattern || value instanceof de.bwaldvogel.mongo.bson.BsonRegularExpression) {
      return false;
    }
    return passes(new Document(field, value), new Document(field, condition));
  }

  /** Whether the document is outside a partial index's filter. */
  private boolean filteredOut(Document document) {
    return partialFilter != null && !passes(document, partialFilter);
  }

  /**
   * Whether the document passes the filter, as the library's matcher says. Every write asks each partial index, and
   * the matcher splits each path with a regular expression and builds streams, so the filters the services declare
   * (a boolean or string equality, one string bound) are decided here; anything else goes to the matcher
   * ({@code PartialIndexTest} compares both on random documents).
   */
  static boolean passes(Document document, Document filter) {
    for (Map.Entry<String, Object> condition : filter.entrySet()) {
      Boolean quick = quickly(document.getOrMissing(condition.getKey()), condition.getValue());
      if (quick == null) {
        return new DefaultQueryMatcher().matches(document, filter);
      }
      if (!quick) {
        return false;
      }
    }
    return true;
  }

  private static final Set<String> STRING_BOUNDS = Set.of("$gt", "$gte", "$lt", "$lte");

  /** The condition's answer for the value, or null when the matcher must decide. */
  private static Boolean quickly(Object value, Object condition) {
    if (condition instanceof Boolean || condition instanceof String) {
      return value instanceof Collection<?> || value instanceof Map<?, ?> ? null : condition.equals(value);
    }
    if (!(condition instanceof Document operators) || operators.size() != 1) {
      return null;
    }
    Map.Entry<String, Object> operator = operators.entrySet().iterator().next();
    if (!STRING_BOUNDS.contains(operator.getKey()) || !(operator.getValue() instanceof String bound)) {
      return null;
    }
    if (value instanceof Collection<?> elements) {
      for (Object element : elements) {
        if (element instanceof String text && within(text, operator.getKey(), bound)) {
          return true;
        }
        if (element instanceof Collection<?> || element instanceof Map<?, ?>) {
          return null;
        }
      }
      return false;
    }
    if (value instanceof String text) {
      return within(text, operator.getKey(), bound);
    }
    return value == null || value instanceof Missing || value instanceof Number || value instanceof Boolean
        ? false : null; // a string bound matches strings only (type bracketing)
  }

  private static boolean within(String text, String operator, String bound) {
    int order = de.bwaldvogel.mongo.backend.ValueComparator.asc().compare(text, bound);
    return switch (operator) {
      case "$gt" -> order > 0;
      case "$gte" -> order >= 0;
      case "$lt" -> order < 0;
      default -> order <= 0;
    };
  }

  /**
   * The document's key values, as upstream computes them ({@code OrderedIndexKeysTest} compares the two on random
   * documents). The fast path covers flat keys whose values are scalars, which is every index the services declare;
   * arrays (several keys, or the parallel-array error) and embedded documents (normalised recursively) go upstream.
   */
  @Override
  public Set<KeyValue> getKeyValues(Document document) {
    Object[] values = flatValues(document);
    return values == null ? super.getKeyValues(document) : Set.of(new KeyValue(values));
  }

  /** The normalized values of flat keys when each is a scalar; null when upstream's computation is needed. */
  private Object[] flatValues(Document document) {
    if (flatKeys == null) {
      return null;
    }
    Object[] values = new Object[flatKeys.length];
    for (int i = 0; i < flatKeys.length; i++) {
      Object value = document.getOrMissing(flatKeys[i]);
      if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
        return null;
      }
      values[i] = normalized(value);
    }
    return values;
  }

  /**
   * Whether an update leaves this index's key unchanged, asked for every index on every update. Upstream builds both
   * keys' sets and normalizes them again through streams; with flat scalar keys the two normalized arrays are compared
   * ({@code OrderedIndexKeysTest} compares both answers on random pairs).
   */
  @Override
  protected boolean nullAwareEqualsKeys(Document oldDocument, Document newDocument) {
    Object[] before = flatValues(oldDocument);
    Object[] after = before == null ? null : flatValues(newDocument);
    return after == null ? super.nullAwareEqualsKeys(oldDocument, newDocument) : Arrays.equals(before, after);
  }

  /** Upstream's {@code Utils.normalizeValue} for a scalar (package-private there): numbers compare as doubles. */
  private static Object normalized(Object value) {
    if (Missing.isNullOrMissing(value)) {
      return null;
    }
    if (value instanceof Long number && number.longValue() != (long) number.doubleValue()) {
      return value;
    }
    if (value instanceof Number number) {
      double plain = number.doubleValue();
      return plain == -0.0 ? 0.0 : plain;
    }
    return value;
  }

  static String mapName(String collectionNamespace, String indexName) {
    return LoggedMaps.indexMapName(collectionNamespace, indexName);
  }

  int size() {
    return getKeys().size();
  }

  boolean multikey() {
    return multikey;
  }

  boolean sparse() {
    return isSparse();
  }

  /** Entries between the two bounds (inclusive; bounds are full-length keys, usually ending in LOW or HIGH). */
  Iterator<Object[]> scan(Object[] from, Object[] to, boolean reverse) {
    Cursor<Object[], Boolean> cursor = reverse ? entries.cursor(to, from, true) : entries.cursor(from, to, false);
    return cursor;
  }

  /** How many entries lie between the bounds: two O(log n) lookups in H2's counted B-tree. */
  long count(Object[] from, Object[] to) {
    return insertionPoint(to) - insertionPoint(from);
  }

  private long insertionPoint(Object[] bound) {
    long index = entries.getKeyIndex(bound);
    return index >= 0 ? index : -(index + 1);
  }

  static Object positionOf(Object[] entry) {
    return entry[entry.length - 1];
  }

  private Object position(Document document) {
    return Missing.ofNullable(document.get(idField));
  }

  /** Whether the document has no entry here: outside a partial filter, or without the keys of a sparse index. */
  private boolean skipped(Document document) {
    return filteredOut(document) || withoutKeys(document);
  }

  private boolean withoutKeys(Document document) {
    if (!isSparse()) {
      return false;
    }
    if (flatKeys != null) {
      for (String key : flatKeys) {
        if (!(document.getOrMissing(key) instanceof Missing)) {
          return false;
        }
      }
      return true;
    }
    return getKeys().stream().allMatch(key -> Utils.getSubdocumentValue(document, key.getKey()) instanceof Missing);
  }

  private Set<KeyValue> keyValues(Document document) {
    Set<KeyValue> values = getKeyValues(document);
    if (values.size() != 1 && !multikey) {
      multikey = true;
      meta.put(MULTIKEY, true);
    }
    return values;
  }

  private static Object[] entry(KeyValue values, Object position) {
    Object[] key = new Object[values.size() + 1];
    for (int i = 0; i < values.size(); i++) {
      key[i] = values.get(i);
    }
    key[values.size()] = position;
    return key;
  }

  /**
   * The position of a document with the same values, or null; {@code self} (the document being updated) does not
   * count. A new document has no self: even an entry with its own {@code _id} is another document.
   */
  private Object conflicting(KeyValue values, Object self) {
    Cursor<Object[], Boolean> cursor = entries.cursor(entry(values, IndexKeyType.LOW),
        entry(values, IndexKeyType.HIGH), false);
    while (cursor.hasNext()) {
      Object other = positionOf(cursor.next());
      if (self == null || IndexKeyType.compareValues(other, self) != 0) {
        return other;
      }
    }
    return null;
  }

  @Override
  public Object getPosition(Document document) {
    if (!unique || skipped(document)) {
      return null;
    }
    for (KeyValue values : getKeyValues(document)) {
      Object position = conflicting(values, null);
      if (position != null) {
        return position;
      }
    }
    return null;
  }

  @Override
  public synchronized void checkAdd(Document document, MongoCollection<Object> collection) {
    if (!unique || skipped(document)) {
      return;
    }
    for (KeyValue values : getKeyValues(document)) {
      if (conflicting(values, null) != null) {
        throw new DuplicateKeyError(this, collection, getKeys(), values);
      }
    }
  }

  @Override
  public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
    checkAdd(document, collection);
    if (skipped(document)) {
      return;
    }
    for (KeyValue values : keyValues(document)) {
      entries.put(entry(values, position), Boolean.TRUE);
    }
  }

  @Override
  public synchronized Object remove(Document document) {
    if (filteredOut(document)) {
      return position(document); // upstream accepts "no position" only from a sparse index
    }
    if (withoutKeys(document)) {
      return null;
    }
    Object position = position(document);
    for (KeyValue values : getKeyValues(document)) {
      entries.remove(entry(values, position));
    }
    return position;
  }

  @Override
  public synchronized void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    if (!unique || nullAwareEqualsKeys(oldDocument, newDocument) || skipped(newDocument)) {
      return;
    }
    Object position = position(oldDocument);
    for (KeyValue values : getKeyValues(newDocument)) {
      if (conflicting(values, position) != null) {
        throw new DuplicateKeyError(this, collection, getKeys(), values);
      }
    }
  }

  @Override
  public synchronized void updateInPlace(Document oldDocument, Document newDocument, Object position,
                                         MongoCollection<Object> collection) throws KeyConstraintError {
    boolean held = !skipped(oldDocument);
    boolean holds = !skipped(newDocument);
    if (held == holds && nullAwareEqualsKeys(oldDocument, newDocument)) {
      return;
    }
    checkUpdate(oldDocument, newDocument, collection);
    if (held) {
      for (KeyValue values : getKeyValues(oldDocument)) {
        entries.remove(entry(values, position));
      }
    }
    if (holds) {
      for (KeyValue values : keyValues(newDocument)) {
        entries.put(entry(values, position), Boolean.TRUE);
      }
    }
  }

  /** The upstream query path is not used: {@link OrderedH2Collection} plans its own scans. */
  @Override
  public boolean canHandle(Document query) {
    return false;
  }

  @Override
  public Iterable<Object> getPositions(Document query) {
    throw new UnsupportedOperationException("OrderedIndex is read through IndexScan");
  }

  @Override
  public long getCount() {
    return entries.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }

  @Override
  public boolean isUnique() {
    return unique;
  }

  @Override
  public boolean hasSameOptions(Index<?> other) {
    return super.hasSameOptions(other) && other.isUnique() == unique
        && (!(other instanceof OrderedIndex ordered) || Objects.equals(ordered.partialFilter, partialFilter));
  }

  @Override
  public void drop() {
    entries.clear();
    meta.clear();
  }
}
