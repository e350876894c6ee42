package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.ArrayList;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;

/**
 * The H2 backend's collection, reading through {@link OrderedIndex}es: every query (find, count, update, delete,
 * findAndModify) asks {@link IndexScan} for the cheapest index runs and falls back to the upstream whole-collection
 * scan only when no index bounds the read.
 */
final class OrderedH2Collection extends H2Collection {

  /** The leading {@code $match} of the aggregation running on this thread, read once by {@link #queryAllAsStream}. */
  private static final ThreadLocal<LeadingMatch> LEADING_MATCH = new ThreadLocal<>();

  private record LeadingMatch(OrderedH2Collection collection, Document match) {
  }

  private final ScanLog scans;

  OrderedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                      MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
                      ScanLog scans) {
    super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    this.scans = scans;
  }

  /** The field whose value is a document's position; null when positions are generated (system collections). */
  String idField() {
    return getIdField();
  }

  /**
   * Runs an aggregation whose first stage is {@code $match} so that its input is read through the indexes: upstream
   * aggregations start from every document of the collection ({@link #queryAllAsStream}), which made every
   * {@code countDocuments} (an aggregation in the MongoDB drivers) a whole-collection scan. The {@code $match} still
   * runs as the first stage, so the answer is the same.
   */
  <T> T withLeadingMatch(Document match, Supplier<T> aggregation) {
    LEADING_MATCH.set(new LeadingMatch(this, match));
    try {
      return aggregation.get();
    } finally {
      LEADING_MATCH.remove();
    }
  }

  @Override
  public Stream<Document> queryAllAsStream() {
    LeadingMatch pending = LEADING_MATCH.get();
    if (pending == null || pending.collection() != this) {
      return super.queryAllAsStream();
    }
    LEADING_MATCH.remove(); // read once: a $lookup into this collection later in the pipeline reads it whole
    return StreamSupport.stream(handleQuery(pending.match()).spliterator(), false);
  }

  /** Set while an update or findAndModify of this thread reads the documents it will change. */
  private static final ThreadLocal<Boolean> UPDATING = new ThreadLocal<>();

  /**
   * The library applies an update to the document it read, removing and putting its fields one by one, and then
   * stores that object again. Reading the stored document would change it in place: a find of another thread,
   * converting it outside this collection's lock, could see it half-updated, and its kept encoding
   * ({@link StoredEncodings}) would be stale. So the documents an update reads are copies (top-level: the library
   * replaces changed values, computed from deep clones, and never changes a nested value in place), and the stored
   * object is replaced, never changed.
   */
  @Override
  public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
                                               boolean isMulti, boolean isUpsert, Oplog oplog) {
    return whileUpdating(() -> {
      FlatUpdate flat = FlatUpdate.of(updateQuery, getIdField());
      Document result = flat == null ? null : updateFlat(selector, updateQuery, flat, isMulti, isUpsert, oplog);
      return result != null ? result
          : super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
    });
  }

  /**
   * A {@link FlatUpdate} applied as the library's {@code updateDocuments} applies an update (the same index checks
   * and writes, stored object replaced, the same answer and oplog entry), without its deep clones and path parsing.
   * Every matched document's new version is computed before anything is written, so that null (the library must
   * apply it: a value this path leaves to it, or an upsert that inserts) leaves the collection untouched. Runs
   * under the collection's lock, so the library's run after a null reads the same documents.
   */
  private Document updateFlat(Document selector, Document updateQuery, FlatUpdate update, boolean isMulti,
                              boolean isUpsert, Oplog oplog) {
    List<Document> before = new ArrayList<>();
    List<Document> after = new ArrayList<>();
    int matched = 0;
    for (Document document : queryDocuments(selector, null, 0, 0, 0, null)) {
      Document old = new Document(document); // `document` is this update's own top-level copy (UPDATING)
      if (!update.applyTo(document)) {
        return null;
      }
      matched++;
      if (!document.equals(old)) {
        before.add(old);
        after.add(document);
      }
      if (!isMulti) {
        break;
      }
    }
    if (matched == 0 && isUpsert) {
      return null;
    }
    List<Object> updatedIds = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      Document old = before.get(i);
      Document updated = after.get(i);
      checkIndexes(old, updated);
      replace(old, updated);
      if (!FlatUpdate.sameValue(old, updated)) {
        updatedIds.add(updated.get(getIdField()));
      }
    }
    oplog.handleUpdate(getFullName(), selector, updateQuery, updatedIds);
    Document result = new Document();
    result.put("n", Integer.valueOf(matched));
    result.put("nModified", Integer.valueOf(updatedIds.size()));
    return result;
  }

  /** Throws the error an index raises against the new version (a duplicate key); changes nothing. */
  private void checkIndexes(Document old, Document updated) {
    for (Index<Object> index : getIndexes()) {
      index.checkUpdate(old, updated, this);
    }
  }

  /** Moves every index entry of the stored {@code old} to {@code updated}, then stores {@code updated} in its place. */
  private void replace(Document old, Document updated) {
    Object position = position(old);
    for (Index<Object> index : getIndexes()) {
      index.updateInPlace(old, updated, position, this);
    }
    handleUpdate(position, old, updated);
  }

  /** The stored document's position, which every index holding it must agree on (as the library requires). */
  private Object position(Document document) {
    if (getIndexes().isEmpty()) {
      return findDocumentPosition(document);
    }
    Object position = null;
    for (Index<Object> index : getIndexes()) {
      Object found = index.getPosition(document);
      if (found != null && position != null && !found.equals(position)) {
        throw new IllegalStateException("Indexes disagree on the position of " + document.get(getIdField()) + ": "
            + position + " and " + found);
      }
      position = found != null ? found : position;
    }
    if (position == null) {
      throw new IllegalStateException("No index holds " + document.get(getIdField()));
    }
    return position;
  }

  @Override
  public synchronized Document findAndModify(Document query) {
    return whileUpdating(() -> {
      Document result = findAndModifyFlat(query);
      return result != null ? result : super.findAndModify(query);
    });
  }

  /**
   * {@code findAndModify} of one existing document by a {@link FlatUpdate}, answered as the library answers it (the
   * old or new document, projected onto top-level fields if asked); null, with nothing changed, when the library
   * must run it: a removal, array filters, a projection other than a plain inclusion of top-level fields, no matching
   * document (an upsert, or a null answer), a value the flat path leaves to the library, or an index refusing the new
   * version (the library words that error itself).
   */
  private Document findAndModifyFlat(Document query) {
    if (!(query.get("update") instanceof Document updateQuery) || Utils.isTrue(query.get("remove"))
        || query.containsKey("arrayFilters") || !plainInclusion(query.get("fields"))) {
      return null;
    }
    FlatUpdate update = FlatUpdate.of(updateQuery, getIdField());
    if (update == null) {
      return null;
    }
    Document queryObject = new Document("query", query.containsKey("query") ? query.get("query") : new Document());
    if (query.containsKey("sort")) {
      queryObject.put("orderby", query.get("sort"));
    }
    Document document = null;
    for (Document found : handleQuery(queryObject, 0, 1)) {
      document = found;
      break;
    }
    if (document == null) {
      return null;
    }
    Document old = new Document(document); // `document` is this update's own top-level copy (UPDATING)
    if (!update.applyTo(document)) {
      return null;
    }
    if (!document.equals(old)) {
      try {
        checkIndexes(old, document);
      } catch (MongoServerException refused) {
        return null;
      }
      replace(old, document);
    }
    Document returned = Utils.isTrue(query.get("new")) ? document : old;
    Document value = returned;
    if (query.get("fields") instanceof Document fields) {
      value = new Document();
      value.put(getIdField(), returned.get(getIdField()));
      for (String field : fields.keySet()) {
        if (returned.containsKey(field)) {
          value.put(field, returned.get(field));
        }
      }
    }
    Document result = new Document();
    Document lastErrorObject = new Document("updatedExisting", Boolean.TRUE);
    lastErrorObject.put("n", Integer.valueOf(1));
    result.put("lastErrorObject", lastErrorObject);
    result.put("value", value);
    Utils.markOkay(result);
    return result;
  }

  /** No projection, or one that only includes top-level fields other than the id (each true or non-zero). */
  private boolean plainInclusion(Object fields) {
    if (fields == null) {
      return true;
    }
    if (!(fields instanceof Document projection) || projection.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, Object> field : projection.entrySet()) {
      String name = field.getKey();
      Object value = field.getValue();
      boolean included = value instanceof Boolean flag ? flag
          : value instanceof Number number && number.doubleValue() != 0.0;
      if (!included || !FlatUpdate.plainField(name, getIdField())) {
        return false;
      }
    }
    return true;
  }

  private static Document whileUpdating(Supplier<Document> update) {
    Boolean outer = UPDATING.get();
    UPDATING.set(Boolean.TRUE);
    try {
      return update.get();
    } finally {
      if (outer == null) {
        UPDATING.remove();
      } else {
        UPDATING.set(outer);
      }
    }
  }

  /**
   * The library keeps each collection's data size (collStats' {@code size}) up to date on every write: it encodes
   * each inserted and deleted document to BSON (an updated one twice) only to measure it, then writes the
   * collection's meta map, under a lock all writers of the collection share. That was 2 % of a send's CPU for a
   * figure nothing reads; collStats now reports the size last recorded (0 in a new file) and still counts documents.
   */
  @Override
  protected boolean tracksDataSize() {
    return false;
  }

  /** Belt and braces: should a stored object ever be stored again after a change, its kept encoding goes. */
  @Override
  protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
    OrderedH2Database.DOCUMENT_TYPE.forget(newDocument);
    super.handleUpdate(position, oldDocument, newDocument);
  }

  void recordScan(String what) {
    scans.record(getFullName(), what, count());
  }

  /** The plan a query would use, or null for a whole-collection scan (for tests and diagnostics). */
  synchronized IndexScan.Plan plan(Document query, Document orderBy, int skip, int limit) {
    if (getIdField() == null || isNaturalOrder(orderBy)) {
      return null;
    }
    return IndexScan.choose(orderedIndexes(), query, orderBy, skip, limit, getIdField(), count());
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                       Document fieldSelector) {
    IndexScan.Plan plan = plan(query, orderBy, numberToSkip, limit);
    Stream<Object> positions;
    boolean sorted;
    if (plan != null) {
      positions = plan.positions();
      sorted = plan.sorted();
    } else {
      List<IndexScan.Plan> branches = orPlans(query);
      if (branches == null) {
        if (getIdField() != null && !query.isEmpty()) {
          scans.record(getFullName(), shape(query, orderBy), count());
        }
        QueryResult scanned = super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        if (!Boolean.TRUE.equals(UPDATING.get())) {
          return scanned;
        }
        List<Document> copies = new ArrayList<>();
        scanned.forEach(stored -> copies.add(new Document(stored)));
        return new QueryResult(copies, scanned.getCursorId());
      }
      Set<Object> seen = new HashSet<>();
      positions = branches.stream().flatMap(IndexScan.Plan::positions).filter(seen::add);
      sorted = false;
    }
    Stream<Document> documents = positions.map(this::getDocument).filter(Objects::nonNull);
    if (Boolean.TRUE.equals(UPDATING.get())) {
      documents = documents.map(Document::new);
    }
    Document toMatch = plan != null ? plan.residual(query) : query;
    return matchDocumentsFromStream(toMatch, documents, numberToSkip, limit, batchSize,
        sorted ? null : SortOrder.of(orderBy), fieldSelector);
  }

  /**
   * A top-level {@code $or} whose every branch (with the conditions beside it) has an index plan is read as the
   * union of those plans; null when any branch would need a scan.
   */
  private List<IndexScan.Plan> orPlans(Document query) {
    if (getIdField() == null || !(query.get("$or") instanceof List<?> clauses) || clauses.isEmpty()) {
      return null;
    }
    List<IndexScan.Plan> plans = new ArrayList<>();
    long documents = count();
    for (Object clause : clauses) {
      if (!(clause instanceof Document branch)) {
        return null;
      }
      Document combined = new Document();
      query.forEach((key, value) -> {
        if (!key.equals("$or")) {
          combined.put(key, value);
        }
      });
      branch.forEach(combined::putIfAbsent);
      IndexScan.Plan plan = IndexScan.choose(orderedIndexes(), combined, null, 0, 0, getIdField(), documents);
      if (plan == null) {
        return null;
      }
      plans.add(plan);
    }
    return plans;
  }

  /** The query's field names and operators without its values, for the scan log. */
  private static String shape(Document query, Document orderBy) {
    return QueryShape.of(query) + (orderBy == null || orderBy.isEmpty() ? "" : " sort " + orderBy.keySet());
  }

  private List<OrderedIndex> orderedIndexes() {
    List<OrderedIndex> ordered = new ArrayList<>();
    for (Index<Object> index : getIndexes()) {
      if (index instanceof OrderedIndex o) {
        ordered.add(o);
      }
    }
    return ordered;
  }

  private static boolean isNaturalOrder(Document orderBy) {
    return orderBy != null && orderBy.containsKey("$natural");
  }
}
