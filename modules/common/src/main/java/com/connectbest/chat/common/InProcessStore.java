package com.connectbest.chat.common;

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
   * A client on this store.
   *
   * @param wire the ordinary client configured from MONGODB_URI, for what the in-process client does not serve itself
   *     (it owns and closes it)
   * @param staged whether its writes are staged ({@link MongoClients#staged})
   */
  MongoClient client(Vertx vertx, MongoClient wire, boolean staged);
}
