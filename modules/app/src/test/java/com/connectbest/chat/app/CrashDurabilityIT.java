package com.connectbest.chat.app;

import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acknowledged means durable: one node on the default embedded H2 store (a real JVM running the fat jar) is killed
 * with SIGKILL in the middle of chat traffic and started again on the same DATA_DIR; everything that was answered 2xx
 * before the kill must be there. Runs after `package` (failsafe).
 */
class CrashDurabilityIT {

  private final List<NodeProcess> nodes = new ArrayList<>();
  private CrashLoad load;
  private Path dataDir;

  @BeforeEach
  void prepare() throws IOException {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    dataDir = Files.createTempDirectory("connectbest-crash");
    load = new CrashLoad();
  }

  @AfterEach
  void cleanUp() {
    nodes.forEach(NodeProcess::close);
    if (load != null) {
      load.close();
    }
    deleteTree(dataDir);
  }

  /** A single node with every service and the embedded H2 store under {@link #dataDir}, on fresh ports. */
  private NodeProcess startNode(String name, int httpPort) {
    Map<String, String> env = new HashMap<>();
    env.put("HOST", "127.0.0.1");
    env.put("PORT", String.valueOf(httpPort));
    env.put("DATA_DIR", dataDir.toString());
    env.put("EMBEDDED_MONGO_PORT", String.valueOf(NodeProcess.freePorts(1)[0]));
    env.put("JWT_SECRET_KEY", CrashLoad.SECRET);
    env.put("RATE_LIMITS", CrashLoad.RATE_LIMITS);
    env.put("GATEWAY_INSTANCES", "1");
    // The defaults, whatever the environment running the tests says: embedded store, H2 file backend.
    env.put("MONGODB_URI", null);
    env.put("EMBEDDED_MONGO_BACKEND", null);
    env.put("CONFIG_FILE", null);
    env.put("VERTICLES", null);
    env.put("CLUSTER", null);
    NodeProcess node = new NodeProcess(name, env);
    nodes.add(node);
    node.awaitReady(seconds(60));
    return node;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("a node killed with SIGKILL mid-traffic keeps, after a restart on its data directory, every chat and "
      + "account write it had acknowledged, each of the kinds CrashLoad makes")
  void acknowledgedWritesSurviveKill() {
    int firstPort = NodeProcess.freePorts(1)[0];
    NodeProcess node = startNode("crash-single", firstPort);
    load.setUp(firstPort, 4);

    load.runAndKill(firstPort, 3, 4000, node::kill);

    int secondPort = NodeProcess.freePorts(1)[0];
    startNode("crash-single-restarted", secondPort);
    load.awaitServing(secondPort, 30);
    load.assertDurable(load.verify(secondPort), " (single node)");
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // a leftover temporary directory is harmless
    }
  }
}
