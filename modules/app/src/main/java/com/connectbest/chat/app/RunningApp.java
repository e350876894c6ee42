package com.connectbest.chat.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A started node: its Vert.x instance, the configuration its verticles received, and how to stop it. */
public final class RunningApp {

  private final Vertx vertx;
  private final JsonObject config;
  private final EmbeddedMongo mongo;
  private final List<String> verticles;
  private final int httpPort;
  private Future<Void> closing;

  RunningApp(Vertx vertx, JsonObject config, EmbeddedMongo mongo, List<String> verticles, int httpPort) {
    this.vertx = vertx;
    this.config = config;
    this.mongo = mongo;
    this.verticles = verticles;
    this.httpPort = httpPort;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** What every verticle received, MONGODB_URI included when the embedded server was started. */
  public JsonObject config() {
    return config.copy();
  }

  public List<String> verticles() {
    return verticles;
  }

  /** The port the gateway bound (the real one when PORT=0), or -1 when this node runs no gateway. */
  public int httpPort() {
    return httpPort;
  }

  /** The embedded MongoDB's client port, or -1 when an external MongoDB is used. */
  public int embeddedMongoPort() {
    return mongo == null ? -1 : mongo.port();
  }

  /** Where the data lives, for the log: never the connection string, which may carry a password. */
  public String store() {
    return mongo == null ? "external MongoDB" : mongo.description();
  }

  /** Closes Vert.x first (verticles, cluster membership), then the embedded MongoDB. */
  public synchronized Future<Void> close() {
    if (closing == null) {
      closing = vertx.close().eventually(() -> closeMongo(mongo));
    }
    return closing;
  }

  /** Off any event loop, since shutting mongo-java-server down blocks. */
  static Future<Void> closeMongo(EmbeddedMongo mongo) {
    return mongo == null
        ? Future.succeededFuture()
        : Future.fromCompletionStage(CompletableFuture.runAsync(mongo::close));
  }
}
