package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** One shared connection pool per Vert.x instance, configured from MONGODB_URI and MONGODB_DB_NAME. */
public final class MongoClients {

  public static final String DEFAULT_DATABASE = "chatapp";

  private MongoClients() {
  }

  /** Resolves once the server answers a ping. */
  public static Future<Void> ping(MongoClient mongo) {
    return mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  public static MongoClient shared(Vertx vertx, Settings settings) {
    String uri = settings.string("MONGODB_URI", null);
    if (uri == null) {
      throw new IllegalStateException("MONGODB_URI is not set (the app sets it to the embedded server by default)");
    }
    JsonObject options = new JsonObject()
        .put("connection_string", uri)
        .put("db_name", settings.string("MONGODB_DB_NAME", DEFAULT_DATABASE))
        .put("useObjectId", true)
        .put("serverSelectionTimeoutMS", settings.number("MONGODB_TIMEOUT_MS", 3_000))
        .put("connectTimeoutMS", settings.number("MONGODB_TIMEOUT_MS", 3_000));
    return MongoClient.createShared(vertx, options, "connectbest-" + uri.hashCode());
  }
}
