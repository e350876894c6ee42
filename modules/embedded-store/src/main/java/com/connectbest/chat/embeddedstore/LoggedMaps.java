package com.connectbest.chat.embeddedstore;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.DataType;

/**
 * Opens, removes and renames the maps of the ordered H2 store, each with its types, and through the write-ahead log
 * when the store has one ({@link RedoLog}; none for a store in memory or one that is not durable). One place decides
 * a map's types from its name, so that recovery reads a record with the types its map was written with.
 */
final class LoggedMaps {

  /** The kinds of map, by name: a collection's documents, an index's entries, and the rest (metadata). */
  private static final String INDEX_INFIX = "._ordered_index_";

  private final MVStore store;
  private final RedoLog redo;

  LoggedMaps(MVStore store, RedoLog redo) {
    this.store = store;
    this.redo = redo;
  }

  /** Maps of a store without a log: plain H2 maps. */
  static LoggedMaps plain(MVStore store) {
    return new LoggedMaps(store, null);
  }

  MVStore store() {
    return store;
  }

  /** Opens (or creates) the named map with the types its name calls for. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  <K, V> MVMap<K, V> open(String name) {
    MVMap.Builder builder = redo == null ? new MVMap.Builder<>() : new LoggedMap.Builder<>(redo, name);
    if (name.startsWith(OrderedH2Database.DATABASES_PREFIX)) {
      builder.keyType(PositionKeyType.INSTANCE).valueType((DataType) OrderedH2Database.DOCUMENT_TYPE);
    } else if (name.contains(INDEX_INFIX) && !name.endsWith(".meta")) {
      builder.keyType(IndexKeyType.INSTANCE);
    }
    return (MVMap<K, V>) store.openMap(name, builder);
  }

  static String indexMapName(String collectionNamespace, String indexName) {
    return collectionNamespace + INDEX_INFIX + indexName;
  }

  /** Removes the named map, if there is one. */
  void remove(String name) {
    if (store.hasMap(name)) {
      if (redo != null) {
        redo.removeMap(name);
      }
      store.removeMap(name);
    }
  }

  /** Renames a map (which must exist). */
  void rename(String from, String to) {
    MVMap<Object, Object> map = open(from);
    if (redo != null) {
      redo.renameMap(from, to);
    }
    store.renameMap(map, to);
    if (map instanceof LoggedMap<?, ?> logged) {
      logged.renamed(to);
    }
  }
}
