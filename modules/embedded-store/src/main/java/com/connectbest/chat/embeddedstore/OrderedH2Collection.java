package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;

/**
 * The H2 backend's collection, reading through {@link OrderedIndex}es: every query (find, count, update, delete,
 * findAndModify) asks {@link IndexScan} for the cheapest index runs and falls back to the upstream whole-collection
 * scan only when no index bounds the read.
 */
final class OrderedH2Collection extends H2Collection {

  OrderedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                      MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
    super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
  }

  /** The field whose value is a document's position; null when positions are generated (system collections). */
  String idField() {
    return getIdField();
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
    if (plan == null) {
      return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }
    Stream<Document> documents = plan.positions().map(this::getDocument).filter(Objects::nonNull);
    return matchDocumentsFromStream(query, documents, numberToSkip, limit, batchSize,
        plan.sorted() ? null : deriveComparator(orderBy), fieldSelector);
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
