package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import com.connectbest.chat.common.testing.LiveThreads;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatApplicationTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a node started with chosen verticles serves them over an in-memory embedded MongoDB")
  void startsChosenVerticlesOnEmbeddedMongo() throws Exception {
    RunningApp app = ChatApplication.start(TestConfig.embedded(dir), List.of("messages", "channels"), false).await();
    try {
      assertEquals(List.of("channels", "messages"), app.verticles());
      assertEquals(-1, app.httpPort());
      assertEquals("mongodb://127.0.0.1:" + app.embeddedMongoPort(), app.config().getString("MONGODB_URI"));
      ServiceClient services = new ServiceClient(app.vertx().eventBus());
      int before = services.call(Addresses.CHANNELS, InternalActions.COUNT_CHANNELS, new JsonObject()).await()
          .getInteger("count");
      MongoClient mongo = MongoClients.shared(app.vertx(), new Settings(app.config()));
      mongo.insert("channels", new JsonObject().put("name", "inserted-by-test").put("type", "public")).await();
      assertEquals(before + 1, services.call(Addresses.CHANNELS, InternalActions.COUNT_CHANNELS, new JsonObject())
          .await().getInteger("count"));
      assertTrue(services.call(Addresses.MESSAGES, InternalActions.COUNT_MESSAGES, new JsonObject()).await()
          .containsKey("count"));
      ApiException absent = assertThrows(ApiException.class,
          () -> services.call(Addresses.DMS, "listConversations", new JsonObject()).await());
      assertEquals(503, absent.status());
    } finally {
      app.close().await();
    }
  }

  @Test
  @DisplayName("a node's store driver outlives its services and is closed before Vert.x closes")
  void storeDriverClosesAfterTheServicesAndBeforeVertx() throws Exception {
    RunningApp app = ChatApplication.start(TestConfig.embedded(dir).put("PORT", 0), List.of(), false).await();
    // The driver names its monitor threads after the server they watch: this node's embedded store.
    String server = "-127.0.0.1:" + app.embeddedMongoPort();
    try {
      assertFalse(driverThreads(server).isEmpty(), "the services' driver runs while the node does");
      app.undeployVerticles().await();
      Thread.sleep(500); // a driver closed by its last service would be gone by now
      assertFalse(driverThreads(server).isEmpty(), "the node still holds the driver once its services stopped");
      app.closeStoreClients().await();
      // its monitor threads end on their own once interrupted
      assertEquals(List.of(), LiveThreads.afterEnding(name -> isDriverThread(name, server), 2_000),
          "driver threads alive after the store clients closed");
    } finally {
      app.close().await();
    }
  }

  private static List<String> driverThreads(String server) {
    return LiveThreads.named(name -> isDriverThread(name, server));
  }

  private static boolean isDriverThread(String name, String server) {
    return name.startsWith("cluster-") && name.endsWith(server);
  }

  @Test
  @DisplayName("with PORT=0 the node reports the HTTP port its gateway instances actually bound")
  void reportsTheBoundPort() {
    JsonObject overrides = TestConfig.embedded(dir).put("HOST", "127.0.0.1").put("PORT", 0).put("GATEWAY_INSTANCES", 2);
    RunningApp app = ChatApplication.start(overrides, List.of("gateway", "dms"), false).await();
    try {
      assertTrue(app.httpPort() > 0);
      int status = WebClient.create(app.vertx()).get(app.httpPort(), "127.0.0.1", "/openapi.yaml").send().await()
          .statusCode();
      assertEquals(200, status);
    } finally {
      app.close().await();
    }
  }

  @Test
  @DisplayName("a node whose gateway cannot bind its port fails to start instead of hanging")
  void failedDeploymentFailsTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      JsonObject overrides = TestConfig.embedded(dir).put("HOST", "127.0.0.1").put("PORT", taken.getLocalPort())
          .put("GATEWAY_INSTANCES", 1);
      assertThrows(Exception.class, () -> ChatApplication.start(overrides, List.of("gateway", "dms"), false).await());
    }
  }

  @Test
  @DisplayName("values of the configuration file are overridden by the given overrides, the others kept")
  void overridesWinOverTheFile() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file,
        new JsonObject().put("MONGODB_DB_NAME", "from-file").put("SERVICE_TIMEOUT_MS", 1234).encode());
    JsonObject config = ConfigLoader.load(new JsonObject()
        .put("CONFIG_FILE", file.toString()).put("MONGODB_DB_NAME", "from-override")).await();
    assertEquals("from-override", config.getString("MONGODB_DB_NAME"));
    assertEquals(1234, config.getInteger("SERVICE_TIMEOUT_MS"));
  }

  @Test
  @DisplayName("the shipped conf/config.json loads and holds the documented defaults")
  void shippedDefaultsLoad() {
    JsonObject config = ConfigLoader.load(new JsonObject().put("CONFIG_FILE", "../../conf/config.json")).await();
    assertEquals(5001, config.getInteger("PORT"));
    assertEquals("chatapp", config.getString("MONGODB_DB_NAME"));
    assertTrue(config.containsKey("JWT_SECRET_KEY"));
  }

  @Test
  @DisplayName("a configuration file named explicitly but missing is refused")
  void missingExplicitFileIsRefused() {
    JsonObject overrides = new JsonObject().put("CONFIG_FILE", dir.resolve("absent.json").toString());
    Exception error = assertThrows(Exception.class, () -> ConfigLoader.load(overrides).await());
    assertInstanceOf(StartupFailure.class, error);
  }

  @Test
  @DisplayName("production with the development secret is refused before anything starts")
  void productionWithDefaultSecretIsRefused() {
    JsonObject overrides = TestConfig.embedded(dir).put("APP_ENV", "production")
        .put("JWT_SECRET_KEY", null).put("NEXTAUTH_SECRET", null);
    StartupFailure refused = assertThrows(StartupFailure.class,
        () -> ChatApplication.start(overrides, List.of("dms"), false).await());
    assertEquals(2, refused.exitCode());
  }

  @Test
  @DisplayName("an unknown name in VERTICLES is refused with the list of known names")
  void unknownVerticleInSettingsIsRefused() {
    StartupFailure refused = assertThrows(StartupFailure.class,
        () -> ChatApplication.start(TestConfig.embedded(dir).put("VERTICLES", "dms,chatbot")).await());
    assertTrue(refused.getMessage().contains("[chatbot]"), refused.getMessage());
  }
}
