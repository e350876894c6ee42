package com.connectbest.chat.app;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the one flat configuration every verticle receives: conf/config.json (or CONFIG_FILE), overridden by
 * environment variables of the same names, overridden by the command line / programmatic overrides.
 */
public final class ConfigLoader {

  public static final String DEFAULT_FILE = "conf/config.json";

  private ConfigLoader() {
  }

  /** Uses a short-lived Vert.x of its own, since the real one's options (cluster, event bus) come from the result. */
  public static Future<JsonObject> load(JsonObject overrides) {
    String explicit = firstNonBlank(overrides.getValue("CONFIG_FILE"), System.getenv("CONFIG_FILE"));
    String path = explicit == null ? DEFAULT_FILE : explicit;
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("json")
        .setOptional(explicit == null)
        .setConfig(new JsonObject().put("path", path));
    ConfigStoreOptions env = new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true));
    Vertx bootstrap = Vertx.vertx();
    ConfigRetriever retriever = ConfigRetriever.create(bootstrap,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(file).addStore(env));
    // Completed off the bootstrap's threads: its context is closing, and listeners dispatched there may never run.
    Promise<JsonObject> result = Promise.promise();
    retriever.getConfig()
        .recover(error -> Future.failedFuture(
            new StartupFailure("Cannot read the configuration file " + path + ": " + error.getMessage())))
        .map(loaded -> loaded.mergeIn(overrides).put("CONFIG_FILE", path))
        .onComplete(loaded -> {
          retriever.close();
          bootstrap.close();
          CompletableFuture.runAsync(() -> result.handle(loaded));
        });
    return result.future();
  }

  private static String firstNonBlank(Object... candidates) {
    for (Object candidate : candidates) {
      if (candidate != null && !candidate.toString().isBlank()) {
        return candidate.toString().trim();
      }
    }
    return null;
  }
}
