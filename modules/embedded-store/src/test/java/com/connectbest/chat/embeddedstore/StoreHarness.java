package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A backend served on a loopback port, with a Vert.x Mongo client on it, as the chat's services use it. */
final class StoreHarness implements AutoCloseable {

  final MongoBackend backend;
  final MongoServer server;
  final MongoClient client;
  /** A client whose writes are staged ({@code w: 1, j: false}), as the services' second pool. */
  final MongoClient staged;

  StoreHarness(Vertx vertx, MongoBackend backend) {
    this.backend = backend;
    this.server = new MongoServer(backend);
    server.bind(new InetSocketAddress("127.0.0.1", 0), 1, DurableH2Backend.WORKER_THREADS);
    this.client = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())
        .put("db_name", "test").put("useObjectId", true).put("maxPoolSize", 64));
    this.staged = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())
        .put("db_name", "test").put("useObjectId", true).put("maxPoolSize", 16).put("w", 1).put("j", false));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Closes the client, the server and the backend (which commits and closes its file). */
  @Override
  public void close() {
    await(client.close());
    await(staged.close());
    server.shutdownNow();
  }
}
