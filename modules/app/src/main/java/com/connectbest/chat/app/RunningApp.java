package com.connectbest.chat.app;

import com.connectbest.chat.common.Settings;
import com.connectbest.chat.gateway.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started node: its Vert.x instance, the configuration its verticles received, and how to stop it. */
public final class RunningApp {

  static final long DEFAULT_GRACE_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(RunningApp.class);

  private final Vertx vertx;
  private final JsonObject config;
  private final EmbeddedMongo mongo;
  private final List<String> verticles;
  private final Deployer.Deployed deployed;
  private final NodeStoreClients storeClients;
  private Future<Void> closing;

  /** @param storeClients the node's hold on its services' store clients, or {@code null} when none uses the store */
  RunningApp(Vertx vertx, JsonObject config, EmbeddedMongo mongo, List<String> verticles, Deployer.Deployed deployed,
      NodeStoreClients storeClients) {
    this.vertx = vertx;
    this.config = config;
    this.mongo = mongo;
    this.verticles = verticles;
    this.deployed = deployed;
    this.storeClients = storeClients;
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
    return deployed.httpPort();
  }

  /** The embedded MongoDB's client port, or -1 when an external MongoDB is used. */
  public int embeddedMongoPort() {
    return mongo == null ? -1 : mongo.port();
  }

  /** Where the data lives, for the log: never the connection string, which may carry a password. */
  public String store() {
    return mongo == null ? "external MongoDB" : mongo.description();
  }

  /**
   * Stops the node gracefully, each step logged once: the gateways stop being ready, close their bridge sockets with
   * 1001 and let in-flight requests finish (at most SHUTDOWN_GRACE_SECONDS) while every service still runs; then
   * the verticles undeploy and the store clients close ({@link NodeStoreClients}); then Vert.x closes (the node leaves
   * the cluster); then the embedded MongoDB is flushed and closed.
   */
  public synchronized Future<Void> close() {
    if (closing == null) {
      long started = System.currentTimeMillis();
      Duration grace = Duration.ofSeconds(new Settings(config).number("SHUTDOWN_GRACE_SECONDS", DEFAULT_GRACE_SECONDS));
      closing = drainGateways(grace)
          .eventually(() -> stopServices().onSuccess(v -> LOG.info("Shutdown: verticles undeployed, store clients "
              + "closed")))
          .eventually(() -> vertx.close().onSuccess(v -> LOG.info("Shutdown: Vert.x closed{}",
              vertx.isClustered() ? ", left the cluster" : "")))
          .eventually(() -> closeMongo(mongo).onSuccess(v -> {
            if (mongo != null) {
              LOG.info("Shutdown: embedded MongoDB flushed and closed");
            }
          }))
          .onComplete(done -> LOG.info("Shutdown complete in {} ms", System.currentTimeMillis() - started));
    }
    return closing;
  }

  /** Cleanup after a failed start: the same steps, without the log lines (the failure's reason is the one line). */
  synchronized Future<Void> abort() {
    if (closing == null) {
      closing = stopServices().eventually(vertx::close).eventually(() -> closeMongo(mongo));
    }
    return closing;
  }

  /**
   * Undeploys every verticle, then closes the store clients, whose last users they were: done before
   * {@code Vertx.close}, so that the drivers close while Vert.x's threads still run ({@link NodeStoreClients}).
   */
  private Future<Void> stopServices() {
    return undeployVerticles().eventually(this::closeStoreClients);
  }

  /** The first half of {@link #stopServices}; package-private for ChatApplicationTest. */
  Future<Void> undeployVerticles() {
    List<Future<Void>> undeploys = vertx.deploymentIDs().stream().map(vertx::undeploy).toList();
    // Like Vertx.close: a verticle whose stop failed is reported, and the others still stop.
    return ChatApplication.detached(Future.join(undeploys).transform(done -> {
      if (done.failed()) {
        LOG.warn("Shutdown: a verticle did not stop cleanly: {}", done.cause().toString());
      }
      return Future.<Void>succeededFuture();
    }));
  }

  /** The second half of {@link #stopServices}: completes once the drivers are closed. */
  Future<Void> closeStoreClients() {
    return storeClients == null ? Future.succeededFuture() : storeClients.close();
  }

  private Future<Void> drainGateways(Duration grace) {
    List<GatewayVerticle> gateways = deployed.gateways();
    if (gateways.isEmpty()) {
      return Future.succeededFuture();
    }
    long started = System.currentTimeMillis();
    LOG.info("Shutdown: readiness now answers 503, bridge sockets are closed with {}, the HTTP server stops accepting "
        + "connections once the requests already sent are read; in-flight requests get up to {} s "
        + "(SHUTDOWN_GRACE_SECONDS)",
        GatewayVerticle.GOING_AWAY, grace.toSeconds());
    List<Future<Integer>> drains = gateways.stream().map(gateway -> gateway.drain(grace)).toList();
    return Future.join(drains).transform(done -> {
      int sockets = drains.stream().filter(Future::succeeded).mapToInt(Future::result).sum();
      long took = System.currentTimeMillis() - started;
      if (done.failed()) {
        LOG.warn("Shutdown: the HTTP server did not stop cleanly after {} ms: {}", took, done.cause().toString());
      } else if (took >= grace.toMillis()) {
        LOG.info("Shutdown: HTTP server closed; the grace period ran out, connections still open were closed "
            + "(bridge sockets told to reconnect elsewhere: {})", sockets);
      } else {
        LOG.info("Shutdown: HTTP server closed after in-flight requests finished in {} ms (bridge sockets told to "
            + "reconnect elsewhere: {})", took, sockets);
      }
      return Future.<Void>succeededFuture();
    });
  }

  /** Off any event loop, since shutting mongo-java-server down blocks. */
  static Future<Void> closeMongo(EmbeddedMongo mongo) {
    return mongo == null
        ? Future.succeededFuture()
        : Future.fromCompletionStage(CompletableFuture.runAsync(mongo::close));
  }
}
