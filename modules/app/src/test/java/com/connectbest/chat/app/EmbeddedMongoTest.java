package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedMongoTest {

  @TempDir
  Path dir;

  private static long count(Vertx vertx, String uri, JsonObject clientOptions) {
    MongoClient client = MongoClient.create(vertx, clientOptions.copy().put("connection_string", uri)
        .put("db_name", "chatapp").put("serverSelectionTimeoutMS", 3000));
    try {
      return client.count("things", new JsonObject()).await();
    } finally {
      client.close().await();
    }
  }

  private static void insert(Vertx vertx, String uri) {
    MongoClient client = MongoClient.create(vertx,
        new JsonObject().put("connection_string", uri).put("db_name", "chatapp"));
    try {
      client.insert("things", new JsonObject().put("name", "kept")).await();
    } finally {
      client.close().await();
    }
  }

  @Test
  @DisplayName("the H2 backend keeps its data in DATA_DIR/mongo.mv.db across restarts")
  void h2KeepsDataAcrossRestarts(Vertx vertx) {
    Settings settings = new Settings(new JsonObject().put("DATA_DIR", dir.resolve("nested").toString())
        .put("EMBEDDED_MONGO_PORT", 0));
    try (EmbeddedMongo first = EmbeddedMongo.start(vertx, settings)) {
      insert(vertx, first.uri());
    }
    assertTrue(Files.isRegularFile(dir.resolve("nested").resolve("mongo.mv.db")));
    try (EmbeddedMongo second = EmbeddedMongo.start(vertx, settings)) {
      assertEquals(1, count(vertx, second.uri(), new JsonObject()));
      assertTrue(second.description().contains("mongo.mv.db"), second.description());
    }
  }

  @Test
  @DisplayName("EMBEDDED_MONGO_CACHE_MB sizes the H2 file's page cache (16 MB unless set), and a size below 1 is refused")
  void cacheSizeIsASetting(Vertx vertx) {
    Settings defaults = new Settings(new JsonObject().put("DATA_DIR", dir.resolve("a").toString())
        .put("EMBEDDED_MONGO_PORT", 0));
    try (EmbeddedMongo mongo = EmbeddedMongo.start(vertx, defaults)) {
      assertTrue(mongo.description().contains("page cache 16 MB"), mongo.description());
    }
    Settings small = new Settings(new JsonObject().put("DATA_DIR", dir.resolve("b").toString())
        .put("EMBEDDED_MONGO_PORT", 0).put("EMBEDDED_MONGO_CACHE_MB", 4));
    try (EmbeddedMongo mongo = EmbeddedMongo.start(vertx, small)) {
      assertTrue(mongo.description().contains("page cache 4 MB"), mongo.description());
      insert(vertx, mongo.uri());
      assertEquals(1, count(vertx, mongo.uri(), new JsonObject()));
    }
    StartupFailure refused = assertThrows(StartupFailure.class, () -> EmbeddedMongo.start(vertx, new Settings(
        new JsonObject().put("DATA_DIR", dir.resolve("c").toString()).put("EMBEDDED_MONGO_CACHE_MB", 0))));
    assertTrue(refused.getMessage().contains("EMBEDDED_MONGO_CACHE_MB"), refused.getMessage());
  }

  @Test
  @DisplayName("the store's durable writes and file syncs are on /metrics while it runs, and gone once it is closed")
  void writeCountersAreMetered(Vertx vertx) {
    Settings settings = new Settings(new JsonObject().put("DATA_DIR", dir.toString()).put("EMBEDDED_MONGO_PORT", 0));
    try (EmbeddedMongo mongo = EmbeddedMongo.start(vertx, settings)) {
      double writes = meter(Meters.STORE_DURABLE_WRITES);
      double syncs = meter(Meters.STORE_FILE_SYNCS);
      insert(vertx, mongo.uri());
      assertEquals(writes + 1, meter(Meters.STORE_DURABLE_WRITES));
      assertTrue(meter(Meters.STORE_FILE_SYNCS) >= syncs + 1, "an acknowledged insert was synced");
      assertEquals(0, meter(Meters.STORE_STAGED_WRITES));
    }
    assertNull(Meters.registry().find(Meters.STORE_FILE_SYNCS).functionCounter(), "a closed store leaves no meter");
  }

  private static double meter(String name) {
    return Meters.registry().get(name).functionCounter().count();
  }

  @Test
  @DisplayName("with a TLS certificate the client port speaks TLS while our own verticles use a plain loopback port")
  void tlsForClientsPlainForUs(Vertx vertx) throws Exception {
    Path cert = Path.of(getClass().getResource("/tls/cert.pem").toURI());
    Path key = Path.of(getClass().getResource("/tls/key.pem").toURI());
    Settings settings = new Settings(new JsonObject().put("DATA_DIR", dir.toString()).put("EMBEDDED_MONGO_PORT", 0)
        .put("EMBEDDED_MONGO_TLS_CERT", cert.toString()).put("EMBEDDED_MONGO_TLS_KEY", key.toString()));
    try (EmbeddedMongo mongo = EmbeddedMongo.start(vertx, settings)) {
      insert(vertx, mongo.uri());
      String tlsUri = "mongodb://127.0.0.1:" + mongo.port() + "/?tls=true";
      assertNotEquals("mongodb://127.0.0.1:" + mongo.port(), mongo.uri());
      assertEquals(1, count(vertx, tlsUri, new JsonObject().put("caPath", cert.toString())));
    }
  }

  @Test
  @DisplayName("a TLS certificate without its key is refused")
  void certificateWithoutKeyIsRefused(Vertx vertx) {
    Settings settings = new Settings(new JsonObject().put("EMBEDDED_MONGO_BACKEND", "memory")
        .put("EMBEDDED_MONGO_TLS_CERT", "cert.pem"));
    assertThrows(StartupFailure.class, () -> EmbeddedMongo.start(vertx, settings));
  }
}
