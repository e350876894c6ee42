package com.connectbest.chat.app;

import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the real jar starts when its MongoDB is late, and how it reports a start that cannot succeed. */
class StartupIT {

  @BeforeEach
  void jar() {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
  }

  private static Map<String, String> env(int mongoPort) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HOST", "127.0.0.1");
    env.put("PORT", String.valueOf(TestSystem.freePort()));
    env.put("DATA_DIR", Files.createTempDirectory("connectbest-startup-it").toString());
    env.put("MONGODB_URI", "mongodb://127.0.0.1:" + mongoPort);
    // one driver attempt gives up quickly, as on a loaded machine where the store answers late
    env.put("MONGODB_TIMEOUT_MS", "500");
    env.put("JWT_SECRET_KEY", "startup-it-secret-0123456789abcdef-0123456789");
    return env;
  }

  /** Problems a start must never show, even when it fails. */
  private static void assertNoNoise(String log) {
    assertFalse(log.contains("Promise already completed"), log);
    assertFalse(log.contains("\tat "), "no stack traces:\n" + log);
    assertFalse(log.contains("Unhandled exception"), log);
  }

  @Test
  @DisplayName("a MongoDB that appears only seconds after the node starts is waited for, and the node starts")
  void lateStore() throws Exception {
    int mongoPort = TestSystem.freePort();
    Map<String, String> env = env(mongoPort);
    env.put("STARTUP_TIMEOUT_SECONDS", "40");
    MongoServer store = new MongoServer(new MemoryBackend());
    try (NodeProcess node = new NodeProcess("late-store", env)) {
      NodeProcess.sleep(4_000);
      store.bind("127.0.0.1", mongoPort);
      node.awaitReady(seconds(60));
      String log = node.output();
      assertTrue(log.contains("MongoDB does not answer yet"), log);
      assertFalse(log.contains(" ERROR "), log);
      assertNoNoise(log);
    } finally {
      store.shutdownNow();
    }
  }

  @Test
  @DisplayName("a start whose MongoDB never answers exits non-zero with one line that says why")
  void storeNeverAnswers() throws Exception {
    Map<String, String> env = env(TestSystem.freePort());
    env.put("STARTUP_TIMEOUT_SECONDS", "3");
    try (NodeProcess node = new NodeProcess("no-store", env)) {
      int exit = node.awaitExit(seconds(45));
      String log = node.output();
      assertEquals(1, exit, log);
      List<String> errors = log.lines().filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")).toList();
      assertEquals(1, errors.size(), "one line says why:\n" + log);
      assertTrue(errors.get(0).contains("ConnectBest Chat failed to start: ")
          && errors.get(0).contains("MongoDB did not answer within 3 s (STARTUP_TIMEOUT_SECONDS)"), errors.get(0));
      assertNoNoise(log);
    }
  }
}
