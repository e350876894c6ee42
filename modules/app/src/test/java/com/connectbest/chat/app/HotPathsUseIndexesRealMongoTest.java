package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The hot operations of {@link HotPathsUseIndexesTest} against a real MongoDB 7 with the indexes the services
 * declare: its profiler records every operation's plan, and none of those on a growing collection may be a
 * {@code COLLSCAN}. Skipped (not failed) where Docker is unavailable.
 */
@Testcontainers(disabledWithoutDocker = true)
class HotPathsUseIndexesRealMongoTest {

  @Container
  private static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0.14");

  /** Room for every profiled operation of the run (the default profile collection keeps 1 MB). */
  private static final long PROFILE_BYTES = 64L << 20;

  @Test
  @DisplayName("On a real MongoDB, no hot operation's plan on a growing collection is a collection scan")
  void noHotOperationScansACollection() {
    TestSystem system = new TestSystem(new JsonObject().put("MONGODB_URI", MONGO.getConnectionString()));
    MongoClient profiler = MongoClient.create(system.vertx, new JsonObject()
        .put("connection_string", MONGO.getConnectionString()).put("db_name", system.database()));
    try {
      HotPathsUseIndexesTest.runHotOperations(system, () -> {
        profiler.runCommand("profile", new JsonObject().put("profile", 0)).await();
        profiler.dropCollection("system.profile").recover(absent -> io.vertx.core.Future.succeededFuture()).await();
        profiler.runCommand("create", new JsonObject().put("create", "system.profile").put("capped", true)
            .put("size", PROFILE_BYTES)).await();
        profiler.runCommand("profile", new JsonObject().put("profile", 2).put("slowms", 0)).await();
      });
      profiler.runCommand("profile", new JsonObject().put("profile", 0)).await();
      List<String> growing = HotPathsUseIndexesTest.GROWING.stream().map(name -> system.database() + "." + name)
          .toList();
      List<JsonObject> scans = profiler.find("system.profile", new JsonObject()
          .put("planSummary", "COLLSCAN")
          .put("ns", new JsonObject().put("$in", new JsonArray(growing)))).await();
      Map<String, String> byNamespace = new TreeMap<>();
      scans.forEach(op -> byNamespace.put(op.getString("ns") + " " + op.getString("op"),
          String.valueOf(op.getValue("command"))));
      System.out.println("hot paths on MongoDB: collection scans of growing collections: " + byNamespace);
      assertEquals(Map.of(), byNamespace);
    } finally {
      profiler.close().await();
      system.close();
    }
  }
}
