package com.connectbest.chat.app;

import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node: configuration, embedded MongoDB when none is configured, cluster membership, verticles. */
public final class ChatApplication {

  private static final Logger LOG = LoggerFactory.getLogger(ChatApplication.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 30;

  private ChatApplication() {
  }

  public static void main(String[] args) {
    try {
      JsonObject overrides = CommandLine.parse(args);
      if (overrides == null) {
        System.out.println(CommandLine.USAGE);
        return;
      }
      RunningApp app = start(overrides).await();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app), "connectbest-shutdown"));
    } catch (StartupFailure e) {
      LOG.error(e.getMessage());
      System.exit(e.exitCode());
    } catch (Throwable e) {
      LOG.error("ConnectBest Chat failed to start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  /** Starts a node with these verticles (empty: VERTICLES, else all), clustered or not, over the loaded settings. */
  public static Future<RunningApp> start(JsonObject overrides, List<String> verticles, boolean cluster) {
    JsonObject all = overrides.copy().put("CLUSTER", cluster);
    if (verticles != null && !verticles.isEmpty()) {
      all.put("VERTICLES", String.join(",", verticles));
    }
    return start(all);
  }

  /** Starts a node; {@code overrides} win over environment variables, which win over the configuration file. */
  public static Future<RunningApp> start(JsonObject overrides) {
    return ConfigLoader.load(overrides).compose(ChatApplication::launch);
  }

  private static Future<RunningApp> launch(JsonObject config) {
    Settings settings = new Settings(config);
    List<String> verticles;
    try {
      verticles = VerticleCatalog.resolve(settings.list("VERTICLES"));
      StartupChecks.verify(settings);
    } catch (StartupFailure e) {
      return Future.failedFuture(e);
    }
    return ClusterSupport.createVertx(settings, settings.bool("CLUSTER", false))
        .compose(vertx -> startStore(vertx, settings, verticles)
            .compose(mongo -> deploy(vertx, config, mongo, verticles)))
        .onSuccess(app -> LOG.info("ConnectBest Chat ready: HTTP {}, verticles {}, store {}, cluster {}",
            app.httpPort() == Deployer.NO_HTTP ? "off" : "port " + app.httpPort(), String.join(",", app.verticles()),
            app.store(), app.vertx().isClustered() ? "on" : "off"));
  }

  /** The embedded MongoDB when MONGODB_URI is unset and a service here needs a store, else nothing ({@code null}). */
  private static Future<EmbeddedMongo> startStore(Vertx vertx, Settings settings, List<String> verticles) {
    boolean gatewayOnly = verticles.stream().allMatch(VerticleCatalog.GATEWAY::equals);
    if (gatewayOnly || !EmbeddedMongo.wanted(settings)) {
      return Future.succeededFuture();
    }
    return detached(vertx.executeBlocking(() -> EmbeddedMongo.start(vertx, settings)))
        .recover(error -> vertx.close().transform(closed -> Future.failedFuture(error)));
  }

  private static Future<RunningApp> deploy(Vertx vertx, JsonObject config, EmbeddedMongo mongo, List<String> names) {
    JsonObject effective = mongo == null ? config.copy() : config.copy().put("MONGODB_URI", mongo.uri());
    return detached(Deployer.deploy(vertx, effective, names))
        .map(port -> new RunningApp(vertx, effective, mongo, names, port))
        .recover(error -> new RunningApp(vertx, effective, mongo, names, Deployer.NO_HTTP).close()
            .transform(closed -> Future.failedFuture(error)));
  }

  /**
   * The same outcome on a future bound to no context. A future derived from a Vert.x context dispatches its
   * completion to that context; when the completion comes after Vert.x was closed (cleanup after a failed start)
   * the dispatch is rejected and the caller would wait forever.
   */
  static <T> Future<T> detached(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(promise);
    return promise.future();
  }

  private static void stop(RunningApp app) {
    try {
      app.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown did not complete cleanly: {}", e.toString());
    }
  }
}
