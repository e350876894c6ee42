package com.connectbest.chat.uploads;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * How the nodes of a cluster without S3 configured share one embedded S3 server instead of each starting a private
 * one (files uploaded through one node were then missing on the others). The node that owns the embedded store
 * announces its server's endpoint and credentials in a shared async map (cluster-wide on a clustered Vert.x); the
 * others look it up at start.
 *
 * <p>The entry is written again each time the owner starts, with the same port and credentials when they are free
 * (the owner keeps them under DATA_DIR), so the others keep working across its restarts. Like the embedded MongoDB,
 * the server listens on 127.0.0.1: this setup is for nodes on one host; across hosts, configure S3.
 */
final class SharedEmbeddedS3 {

  static final String MAP = "connectbest.embedded-s3";
  private static final String KEY = "endpoint";
  private static final long POLL_MS = 500;

  static final String MISSING = "No object storage for this clustered node: no S3_BUCKET_NAME is set and no node of "
      + "the cluster serves the embedded S3 server. Set S3_BUCKET_NAME (and S3_ENDPOINT for MinIO or another "
      + "S3-compatible server) on every node, or start the node that owns the embedded store (MONGODB_URI unset) "
      + "with the uploads service first. A clustered node never starts a private embedded S3 server, since each node "
      + "would then see only its own files.";

  private SharedEmbeddedS3() {
  }

  static Future<Void> announce(Vertx vertx, EmbeddedS3.Endpoint endpoint) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP).compose(map -> map.put(KEY, endpoint.toJson()));
  }

  /** The announced server, waiting up to {@code waitMillis} for the owner to start; fails with {@link #MISSING}. */
  static Future<EmbeddedS3.Endpoint> find(Vertx vertx, long waitMillis) {
    long deadline = System.currentTimeMillis() + waitMillis;
    Promise<EmbeddedS3.Endpoint> found = Promise.promise();
    vertx.sharedData().<String, JsonObject>getAsyncMap(MAP)
        .onSuccess(map -> poll(vertx, map, deadline, found))
        .onFailure(found::fail);
    return found.future();
  }

  private static void poll(Vertx vertx, AsyncMap<String, JsonObject> map, long deadline,
                           Promise<EmbeddedS3.Endpoint> found) {
    map.get(KEY).onComplete(done -> {
      if (done.succeeded() && done.result() != null) {
        found.complete(EmbeddedS3.Endpoint.fromJson(done.result()));
      } else if (System.currentTimeMillis() >= deadline) {
        found.fail(new IllegalStateException(MISSING));
      } else {
        vertx.setTimer(POLL_MS, id -> poll(vertx, map, deadline, found));
      }
    });
  }
}
