package com.connectbest.chat.app;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/** Overrides for a fast, isolated node: no configuration file, in-memory embedded MongoDB on a random port. */
final class TestConfig {

  private TestConfig() {
  }

  static JsonObject embedded(Path dir) {
    try {
      Path file = Files.writeString(dir.resolve("test-config.json"), "{}");
      return new JsonObject()
          .put("CONFIG_FILE", file.toString())
          .put("APP_ENV", "development")
          .put("MONGODB_URI", null)
          .put("EMBEDDED_MONGO_BACKEND", "memory")
          .put("EMBEDDED_MONGO_PORT", 0)
          .put("DATA_DIR", dir.toString())
          .put("VERTICLES", null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
