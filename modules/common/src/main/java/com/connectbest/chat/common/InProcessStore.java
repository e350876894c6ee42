package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.mongo.MongoClient;

/**
 * A store that this process runs itself (the embedded default), reachable without the wire protocol. The application
 * registers it on its Vert.x instance ({@link MongoClients#useInProcess}); each service's pool then comes from it, on
 * the same data as the wire clients of other processes.
 */
@FunctionalInterface
public interface InProcessStore extends Shareable {

  /**
   * For {@link MongoClients#barrier}: when {@code client} is one of this store's, resolves once every write the store
   * applied so far is durable, without writing anything; null otherwise (the caller writes its barrier).
   */
  default Future<Void> barrier(MongoClient client) {
    return null;
  }

  /**
   * A client on this store.
   *
   * @param wire the ordinary client configured from MONGODB_URI, for what the in-process client does not serve itself
   *     (it owns and closes it)
   * @param staged whether its writes are staged ({@link MongoClients#staged})
   */
  MongoClient client(Vertx vertx, MongoClient wire, boolean staged);
}
