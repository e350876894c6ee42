package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.WriteConcern;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The write concern our shared pools are built with, as the MongoDB driver finally sees it. */
class MongoClientsTest {

  private static final String URI = "mongodb://db.example:27017";
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** What vertx-mongo-client hands the driver for our options. */
  private static WriteConcern driverWriteConcern(JsonObject settings) {
    return new MongoClientOptionsParser(vertx, MongoClients.options(new Settings(settings))).settings().getWriteConcern();
  }

  @Test
  @DisplayName("by default a real MongoDB gets w: majority with journaling")
  void majorityJournaledByDefault() {
    JsonObject options = MongoClients.options(new Settings(new JsonObject().put("MONGODB_URI", URI)));
    assertEquals("majority", options.getValue("w"));
    assertEquals(true, options.getBoolean("j"));
    assertEquals(WriteConcern.MAJORITY.withJournal(true), driverWriteConcern(new JsonObject().put("MONGODB_URI", URI)));
  }

  @Test
  @DisplayName("MONGODB_WRITE_CONCERN and MONGODB_WRITE_JOURNAL choose a number of members, acknowledged, or no journal")
  void configurable() {
    assertEquals(new WriteConcern(2).withJournal(true), driverWriteConcern(new JsonObject().put("MONGODB_URI", URI)
        .put("MONGODB_WRITE_CONCERN", "2")));
    assertEquals(new WriteConcern(1).withJournal(false), driverWriteConcern(new JsonObject().put("MONGODB_URI", URI)
        .put("MONGODB_WRITE_CONCERN", "acknowledged").put("MONGODB_WRITE_JOURNAL", "false")));
    assertEquals(WriteConcern.MAJORITY.withJournal(false), driverWriteConcern(new JsonObject().put("MONGODB_URI", URI)
        .put("MONGODB_WRITE_JOURNAL", false)));
  }

  @Test
  @DisplayName("a write concern in MONGODB_URI wins over the settings")
  void uriWins() {
    String uri = URI + "/?w=1&journal=false";
    JsonObject options = MongoClients.options(new Settings(new JsonObject().put("MONGODB_URI", uri)
        .put("MONGODB_WRITE_CONCERN", "majority")));
    assertTrue(!options.containsKey("w") && !options.containsKey("j"), options.encode());
    assertEquals(new WriteConcern(1).withJournal(false),
        driverWriteConcern(new JsonObject().put("MONGODB_URI", uri)));
  }

  @Test
  @DisplayName("the embedded store keeps the driver's default write concern")
  void embeddedKeepsDefault() {
    assertEquals(WriteConcern.ACKNOWLEDGED, driverWriteConcern(new JsonObject().put("MONGODB_URI", URI)
        .put(MongoClients.EMBEDDED_MARKER, true)));
  }

  @Test
  @DisplayName("an unknown or zero write concern is refused with a sentence naming the setting")
  void refusesNonsense() {
    for (String value : new String[] {"majorty", "0", "-1"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MongoClients
          .validateWriteConcern(new Settings(new JsonObject().put("MONGODB_URI", URI)
              .put("MONGODB_WRITE_CONCERN", value))));
      assertTrue(refused.getMessage().startsWith("MONGODB_WRITE_CONCERN must be"), refused.getMessage());
    }
  }
}
