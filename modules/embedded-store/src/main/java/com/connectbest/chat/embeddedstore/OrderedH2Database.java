package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.netty.channel.Channel;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database of the H2 backend whose indexes, unique and secondary alike, are {@link OrderedIndex}es. It keeps the
 * upstream {@code H2Database}'s map layout for documents ({@code databases.<ns>}, {@code meta.<ns>}), so files
 * written by the plain H2 backend open here; their index maps are rebuilt once under new names, and the old
 * exact-match maps are dropped.
 */
final class OrderedH2Database extends AbstractSynchronizedMongoDatabase<Object> {

  private static final Logger log = LoggerFactory.getLogger(OrderedH2Database.class);

  static final String DATABASES_PREFIX = "databases.";
  private static final String META_PREFIX = "meta.";
  private static final String DEFAULT_ID_FIELD = "_id";

  /** Documents are stored as BSON ({@link BsonDocumentType}); keys keep H2's default type. */
  static final BsonDocumentType DOCUMENT_TYPE = new BsonDocumentType();

  private final MVStore store;
  private final LoggedMaps maps;
  private final Map<String, OrderedH2Collection> opened = new ConcurrentHashMap<>();

  private final ScanLog scans;

  /** The description of the index being created on this thread ({@link #addIndex}), before upstream stores it. */
  private static final ThreadLocal<Document> CREATING = new ThreadLocal<>();

  OrderedH2Database(String databaseName, LoggedMaps maps, CursorRegistry cursorRegistry, ScanLog scans) {
    super(databaseName, cursorRegistry);
    this.store = maps.store();
    this.maps = maps;
    this.scans = scans;
    initializeNamespacesAndIndexes();
  }

  @Override
  public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver,
                                Oplog oplog) {
    OrderedH2Collection collection = command.equalsIgnoreCase("aggregate") && query.get(command) instanceof String name
        ? opened.get(name) : null;
    if (collection != null && query.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()) {
      if (pipeline.get(0) instanceof Document first && first.get("$match") instanceof Document match
          && !match.isEmpty()) {
        return collection.withLeadingMatch(match, () -> super.handleCommand(channel, command, query, resolver, oplog));
      }
      collection.recordScan("aggregate " + pipeline.stream()
          .map(stage -> stage instanceof Document d ? String.join(",", d.keySet()) : "?").toList());
    }
    return super.handleCommand(channel, command, query, resolver, oplog);
  }

  /**
   * Upstream opens an index from its stored description but hands this class only its keys and sparseness; the
   * description (with a {@code partialFilterExpression}) is kept here while the index is created, and read back from
   * the stored descriptions when a file is opened again.
   */
  @Override
  protected void addIndex(Document description) {
    Document outer = CREATING.get(); // creating an index can create its collection, and that the _id index first
    CREATING.set(description);
    try {
      super.addIndex(description);
    } finally {
      CREATING.set(outer);
    }
  }

  /** The partial filter of the named index, from its description: null for an index of every document. */
  private Document partialFilter(String namespace, String indexName) {
    Document description = CREATING.get();
    if (description == null || !indexName.equals(description.get("name"))) {
      description = storedDescription(namespace, indexName);
    }
    Object filter = description == null ? null : description.get("partialFilterExpression");
    return filter instanceof Document document && !document.isEmpty() ? document : null;
  }

  private Document storedDescription(String namespace, String indexName) {
    MongoCollection<Object> descriptions = indexes.get();
    if (descriptions == null) {
      return null;
    }
    for (Document description : descriptions.queryAll()) {
      if (namespace.equals(description.get("ns")) && indexName.equals(description.get("name"))) {
        return description;
      }
    }
    return null;
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                  boolean sparse) {
    return openIndex(collectionName, indexName, keys, sparse, true);
  }

  @Override
  protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                     boolean sparse) {
    return openIndex(collectionName, indexName, keys, sparse, false);
  }

  private Index<Object> openIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse,
                                  boolean unique) {
    OrderedH2Collection collection = opened.get(collectionName);
    String idField = collection == null ? DEFAULT_ID_FIELD : collection.idField();
    if (idField == null) {
      throw new MongoServerException("Indexes need documents with an id field: " + collectionName);
    }
    String namespace = getFullCollectionNamespace(collectionName);
    String upstreamMap = namespace + "._index_" + indexName;
    if (store.hasMap(upstreamMap)) {
      log.info("Replacing the exact-match index map {} by an ordered index", upstreamMap);
      maps.remove(upstreamMap);
    }
    return new OrderedIndex(maps, OrderedIndex.mapName(namespace, indexName), indexName, keys, sparse, unique,
        idField, partialFilter(namespace, indexName));
  }

  @Override
  protected void dropIndex(MongoCollection<Object> collection, String indexName) {
    super.dropIndex(collection, indexName);
    String name = OrderedIndex.mapName(getFullCollectionNamespace(collection.getCollectionName()), indexName);
    removeMap(name);
    removeMap(name + ".meta");
  }

  private void removeMap(String name) {
    maps.remove(name);
  }

  @Override
  public void drop(Oplog oplog) {
    super.drop(oplog);
    store.getMapNames().stream()
        .filter(name -> name.startsWith(databaseName + ".") || name.startsWith(DATABASES_PREFIX + databaseName + ".")
            || name.startsWith(META_PREFIX + databaseName + "."))
        .toList()
        .forEach(this::removeMap);
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
    String namespace = getFullCollectionNamespace(collectionName);
    MVMap<Object, Document> dataMap = maps.open(DATABASES_PREFIX + namespace);
    MVMap<String, Object> metaMap = maps.open(META_PREFIX + namespace);
    OrderedH2Collection collection = new OrderedH2Collection(this, collectionName, options, dataMap, metaMap,
        cursorRegistry, scans);
    opened.put(collectionName, collection);
    return collection;
  }

  @Override
  protected long getStorageSize() {
    FileStore<?> fileStore = store.getFileStore();
    return fileStore == null ? 0 : fileStore.size();
  }

  @Override
  protected long getFileSize() {
    return getStorageSize();
  }

  @Override
  public void dropCollection(String collectionName, Oplog oplog) {
    super.dropCollection(collectionName, oplog);
    opened.remove(collectionName);
    String namespace = getFullCollectionNamespace(collectionName);
    removeMap(DATABASES_PREFIX + namespace);
    removeMap(META_PREFIX + namespace);
    store.getMapNames().stream().filter(name -> name.startsWith(namespace + "._ordered_index_")).toList()
        .forEach(this::removeMap);
  }

  @Override
  public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
    super.moveCollection(oldDatabase, collection, newCollectionName);
    String oldNamespace = collection.getFullName();
    String newNamespace = getFullCollectionNamespace(newCollectionName);
    maps.rename(DATABASES_PREFIX + oldNamespace, DATABASES_PREFIX + newNamespace);
    maps.rename(META_PREFIX + oldNamespace, META_PREFIX + newNamespace);
  }
}
