package com.connectbest.chat.app;

import com.connectbest.chat.common.MongoClients;
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
  /** Beyond the grace period for requests: undeploying, leaving the cluster and flushing the store. */
  private static final long SHUTDOWN_EXTRA_SECONDS = 30;

  private ChatApplication() {
  }

  public static void main(String[] args) {
    RunningApp app;
    try {
      JsonObject overrides = CommandLine.parse(args);
      if (overrides == null) {
        System.out.println(CommandLine.USAGE);
        return;
      }
      app = start(overrides).await();
    } catch (StartupFailure e) {
      exit(e.getMessage(), e, e.exitCode());
      return;
    } catch (Throwable e) {
      exit("ConnectBest Chat failed to start: " + reason(e), e, 1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(app), "connectbest-shutdown"));
  }

  /** One line that says why (the stack trace only at DEBUG), then the logs are flushed and the JVM exits. */
  private static void exit(String line, Throwable cause, int code) {
    LOG.error(line);
    LOG.debug("Startup failure", cause);
    flushLogs();
    System.exit(code);
  }

  /** The message of the outermost failure that has one (Vert.x and the driver wrap theirs). */
  static String reason(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
    }
    return error.toString();
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
      StartupChecks.verify(settings, verticles);
      StartupChecks.clusterWarnings(settings).forEach(warning -> LOG.warn("Cluster security: {}", warning));
      MongoClients.validateWriteConcern(settings);
    } catch (StartupFailure e) {
      return Future.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new StartupFailure(e.getMessage()));
    }
    return ClusterSupport.createVertx(settings, settings.bool("CLUSTER", false))
        .compose(vertx -> startStore(vertx, settings, verticles)
            .compose(mongo -> deploy(vertx, config, mongo, verticles)))
        .onSuccess(app -> LOG.info("ConnectBest Chat ready: HTTP {}, verticles {}, store {} (write concern {}), "
                + "cluster {}", app.httpPort() == Deployer.NO_HTTP ? "off" : "port " + app.httpPort(),
            String.join(",", app.verticles()), app.store(), MongoClients.describeWriteConcern(new Settings(app.config())),
            app.vertx().isClustered() ? "on" : "off"));
  }

  /** The embedded MongoDB when MONGODB_URI is unset and a service here needs a store, else nothing ({@code null}). */
  private static Future<EmbeddedMongo> startStore(Vertx vertx, Settings settings, List<String> verticles) {
    if (!VerticleCatalog.usesStore(verticles) || !EmbeddedMongo.wanted(settings)) {
      return Future.succeededFuture();
    }
    return detached(vertx.executeBlocking(() -> EmbeddedMongo.start(vertx, settings)))
        .recover(error -> vertx.close().transform(closed -> Future.failedFuture(error)));
  }

  private static Future<RunningApp> deploy(Vertx vertx, JsonObject config, EmbeddedMongo mongo, List<String> names) {
    // The embedded store makes writes durable itself: its clients keep the driver's default write concern.
    JsonObject effective = mongo == null ? config.copy()
        : config.copy().put("MONGODB_URI", mongo.uri()).put(MongoClients.EMBEDDED_MARKER, true);
    Settings settings = new Settings(effective);
    if (mongo != null && settings.bool("EMBEDDED_MONGO_IN_PROCESS", true)) {
      MongoClients.useInProcess(vertx, mongo.inProcess(settings.string("MONGODB_DB_NAME",
          MongoClients.DEFAULT_DATABASE)));
    }
    Future<NodeStoreClients> storeClients = VerticleCatalog.usesStore(names) ? NodeStoreClients.hold(vertx, settings)
        : Future.succeededFuture();
    return storeClients.compose(held -> detached(Deployer.deploy(vertx, effective, names))
        .map(deployed -> new RunningApp(vertx, effective, mongo, names, deployed, held))
        .recover(error -> new RunningApp(vertx, effective, mongo, names,
                new Deployer.Deployed(Deployer.NO_HTTP, List.of()), held).abort()
            .transform(closed -> Future.failedFuture(error))));
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

  /** The JVM shutdown hook (SIGTERM, Ctrl-C): a graceful stop, bounded, then the log is flushed. */
  private static void stop(RunningApp app) {
    long grace = new Settings(app.config()).number("SHUTDOWN_GRACE_SECONDS", RunningApp.DEFAULT_GRACE_SECONDS);
    LOG.info("Shutdown requested");
    try {
      app.close().toCompletionStage().toCompletableFuture().get(grace + SHUTDOWN_EXTRA_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Shutdown did not complete cleanly: {}", e.toString());
    }
    flushLogs();
  }

  /**
   * Stops logback, which drains its asynchronous queue. logback.xml installs no shutdown hook of its own, since that
   * hook would run alongside ours and drop the shutdown's log lines.
   */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.stop();
    }
  }
}
