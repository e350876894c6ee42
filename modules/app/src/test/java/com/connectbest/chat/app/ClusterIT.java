package com.connectbest.chat.app;

import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A real cluster on 127.0.0.1: two gateway-only JVMs and one JVM with every service (one shared store), joined by
 * Hazelcast over TCP. Runs after `package` (failsafe), against the fat jar an operator would run.
 */
class ClusterIT {

  private static final String SECRET = "cluster-it-secret-0123456789abcdef-0123456789";
  private static final List<NodeProcess> NODES = new ArrayList<>();

  private static Vertx vertx;
  private static WebClient http;
  private static Map<String, String> common;
  private static int gatewayOne;
  private static int gatewayTwo;
  private static int servicePort;
  private static Path dataDir;

  @BeforeAll
  static void startCluster(TestInfo test) throws Exception {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000));
    dataDir = Files.createTempDirectory("connectbest-cluster-it");
    int[] ports = distinctFreePorts(6);
    int[] hazelcast = {ports[0], ports[1], ports[2]};
    gatewayOne = ports[3];
    gatewayTwo = ports[4];
    servicePort = hazelcast[2];
    common = new HashMap<>(NodeProcess.clusterOn(hazelcast[0], hazelcast[1], hazelcast[2]));
    common.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", "4");
    common.put("JWT_SECRET_KEY", SECRET);
    common.put("SERVICE_TIMEOUT_MS", "3000");
    common.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[5]));
    common.put("DATA_DIR", dataDir.toString());
    common.put("GATEWAY_INSTANCES", "1");
    common.put("ADMIN_EMAILS", "cluster@example.com");
    if (test.getTestClass().orElseThrow() == ClusterTlsIT.class) {
      common.putAll(ClusterTlsIT.secureSettings()); // the same scenario over mutual TLS with signed envelopes
      NODES.clear(); // after ClusterIT in the same JVM
    }

    NodeProcess services = start("services", hazelcast[2], 0, "--verticles", "auth,channels,messages,dms,uploads,metrics");
    // Every node runs a metrics verticle (cluster-wide figures); the gateways' ones check the service node's store.
    common.put("METRICS_SAMPLE_INTERVAL_MS", "500");
    String store = "mongodb://127.0.0.1:" + ports[5];
    NodeProcess one = start("gateway-1", hazelcast[0], gatewayOne, Map.of("MONGODB_URI", store),
        "--verticles", "gateway,metrics");
    NodeProcess two = start("gateway-2", hazelcast[1], gatewayTwo, Map.of("MONGODB_URI", store),
        "--verticles", "gateway,metrics");
    for (NodeProcess node : List.of(services, one, two)) {
      node.awaitReady(seconds(60));
    }
    awaitStatus(gatewayOne, "/api/auth/status", null, 200, 30);
    awaitStatus(gatewayTwo, "/api/auth/status", null, 200, 30);
  }

  /** Ports that are free and distinct: all sockets stay open until every port is chosen. */
  private static int[] distinctFreePorts(int count) throws java.io.IOException {
    java.net.ServerSocket[] sockets = new java.net.ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new java.net.ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (java.net.ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
    return ports;
  }

  private static NodeProcess start(String name, int hazelcastPort, int httpPort, String... args) {
    return start(name, hazelcastPort, httpPort, Map.of(), args);
  }

  private static NodeProcess start(String name, int hazelcastPort, int httpPort, Map<String, String> extra,
                                   String... args) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(extra);
    env.put("CLUSTER_PORT", String.valueOf(hazelcastPort));
    env.put("PORT", String.valueOf(httpPort));
    NodeProcess node = new NodeProcess(name, env, args);
    NODES.add(node);
    return node;
  }

  @AfterAll
  static void stopCluster() {
    NODES.forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static HttpResponse<Buffer> call(int port, String method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = http.request(io.vertx.core.http.HttpMethod.valueOf(method), port, "127.0.0.1", path)
        .timeout(10_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static HttpResponse<Buffer> awaitStatus(int port, String path, String token, int status, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    HttpResponse<Buffer> last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        last = call(port, "GET", path, token, null);
        if (last.statusCode() == status) {
          return last;
        }
      } catch (Exception connectionRefused) {
        last = null;
      }
      NodeProcess.sleep(250);
    }
    throw new AssertionError("GET " + path + " on " + port + " never answered " + status + "; last: "
        + (last == null ? "no answer" : last.statusCode() + " " + last.bodyAsString()));
  }

  /** Waits (up to 15 s) until a node's {@code chat_cluster_subscriptions} gauge satisfies {@code wanted}. */
  private static long awaitSubscriptions(int port, java.util.function.LongPredicate wanted, String what) {
    long deadline = System.currentTimeMillis() + 15_000;
    long entries = Long.MIN_VALUE;
    while (System.currentTimeMillis() < deadline) {
      String scrape = call(port, "GET", "/metrics", null, null).bodyAsString();
      entries = scrape.lines().filter(line -> line.startsWith("chat_cluster_subscriptions "))
          .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()))
          .findFirst().orElse(Long.MIN_VALUE);
      if (entries != Long.MIN_VALUE && wanted.test(entries)) {
        return entries;
      }
      NodeProcess.sleep(250);
    }
    throw new AssertionError("chat_cluster_subscriptions on " + port + " never showed " + what + "; last: " + entries);
  }

  private static boolean servedRegister(JsonObject insights) {
    return insights.getJsonArray("slowestEndpoints").stream().map(JsonObject.class::cast)
        .anyMatch(endpoint -> "POST /api/auth/register".equals(endpoint.getString("endpoint")));
  }

  @Test
  @DisplayName("the cluster serves HTTP on one gateway, pushes live events through the other, and survives node loss")
  void clusterLifecycle() {
    HttpResponse<Buffer> registered = call(gatewayOne, "POST", "/api/auth/register", null, new JsonObject()
        .put("email", "cluster@example.com").put("password", "SecurePass123").put("name", "Clus Ter"));
    assertEquals(201, registered.statusCode(), registered.bodyAsString());
    String token = call(gatewayOne, "POST", "/api/auth/login", null, new JsonObject()
        .put("email", "cluster@example.com").put("password", "SecurePass123")).bodyAsJsonObject().getString("token");
    String channel = call(gatewayOne, "POST", "/api/chat/channels", token, new JsonObject().put("name", "ops"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");

    try (BridgeClient socketOnTwo = new BridgeClient(vertx, gatewayTwo)) {
      socketOnTwo.register(Addresses.channel(channel), token);
      NodeProcess.sleep(500);
      HttpResponse<Buffer> sent = call(gatewayOne, "POST", "/api/chat/channels/" + channel + "/messages/send", token,
          new JsonObject().put("content", "across nodes"));
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      JsonObject event = socketOnTwo.nextEvent("new_message", 5000);
      assertNotNull(event, "the socket on gateway 2 did not receive the message sent through gateway 1");
      assertEquals("across nodes", event.getJsonObject("body").getJsonObject("message").getString("content"));

      JsonObject health = awaitStatus(gatewayOne, "/api/metrics/health", null, 200, 10).bodyAsJsonObject();
      assertEquals(3, health.getJsonObject("services").getJsonObject("cluster").getInteger("members"), health.encode());
      assertEquals("healthy", health.getString("status"), health.encode());
      awaitStatus(gatewayTwo, "/health/ready", null, 200, 10);

      // log insights are the cluster's: gateway 2 reports the operations only gateway 1 served
      long until = System.currentTimeMillis() + 10_000;
      JsonObject insights = awaitStatus(gatewayTwo, "/api/metrics/logs-insights", token, 200, 10).bodyAsJsonObject();
      while (!servedRegister(insights) && System.currentTimeMillis() < until) {
        NodeProcess.sleep(250);
        insights = awaitStatus(gatewayTwo, "/api/metrics/logs-insights", token, 200, 10).bodyAsJsonObject();
      }
      assertTrue(servedRegister(insights), "gateway 2 does not count gateway 1's requests: " + insights.encode());

      // Fan-out hubs: 20 more sockets per gateway on the same channel add one subscription entry (gateway 1's hub,
      // gateway 2 has one already), not 40.
      NodeProcess.sleep(ClusterSubscriptions.SAMPLE_MS + 1000); // a sample taken after socketOnTwo's registration
      long before = awaitSubscriptions(gatewayOne, entries -> entries > 0, "a first sample");
      List<BridgeClient> more = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          for (int port : new int[] {gatewayOne, gatewayTwo}) {
            BridgeClient socket = new BridgeClient(vertx, port);
            more.add(socket);
            socket.register(Addresses.channel(channel), token);
          }
        }
        awaitSubscriptions(gatewayOne, entries -> entries > before, "gateway 1's hub for the channel");
        NodeProcess.sleep(ClusterSubscriptions.SAMPLE_MS + 1000);
        long after = awaitSubscriptions(gatewayTwo, entries -> entries >= 0, "a sample");
        assertEquals(before + 1, after, "40 sockets on one channel over two nodes: one entry per node and channel");
      } finally {
        more.forEach(BridgeClient::close);
      }
    }

    NODES.get(1).kill();
    assertEquals(200, call(gatewayTwo, "GET", "/api/auth/me", token, null).statusCode(),
        "gateway 2 must keep serving when gateway 1 dies");

    // Separate failures, as in the issue: let the cluster drop gateway 1 before the service node dies. (When the
    // oldest member and a service node die in the same instant, the survivor keeps the service's stale
    // subscriptions and answers 504 instead of 503: a known limit, see docs/operations notes.)
    NodeProcess.sleep(Long.parseLong(common.get("CLUSTER_FAILURE_TIMEOUT_SECONDS")) * 1000 + 3000);
    NODES.get(0).kill();
    long deadline = System.currentTimeMillis() + 30_000;
    HttpResponse<Buffer> failing;
    do {
      long start = System.currentTimeMillis();
      failing = call(gatewayTwo, "GET", "/api/auth/me", token, null);
      long took = System.currentTimeMillis() - start;
      assertTrue(failing.statusCode() == 503 || failing.statusCode() == 504, failing.statusCode() + " "
          + failing.bodyAsString());
      assertTrue(took < 4000, "a request while the services are gone took " + took + " ms");
      assertNotNull(failing.bodyAsJsonObject().getString("error"));
      assertNotNull(failing.bodyAsJsonObject().getString("timestamp"));
    } while (failing.statusCode() != 503 && System.currentTimeMillis() < deadline);
    assertEquals(503, failing.statusCode(), "once the dead node leaves the cluster, requests fail at once with 503");
    long start = System.currentTimeMillis();
    assertEquals("SERVICE_UNAVAILABLE", call(gatewayTwo, "GET", "/api/auth/me", token, null).bodyAsJsonObject()
        .getString("error"));
    assertTrue(System.currentTimeMillis() - start < 1000, "503 must be immediate, not a timeout");
    HttpResponse<Buffer> notReady = call(gatewayTwo, "GET", "/health/ready", null, null);
    assertEquals(503, notReady.statusCode(), "a gateway without services is not ready: " + notReady.bodyAsString());

    start("services-2", servicePort, 0, "--verticles", "auth,channels,messages,dms,uploads,metrics")
        .awaitReady(seconds(60));
    HttpResponse<Buffer> restored = awaitStatus(gatewayTwo, "/api/auth/me", token, 200, 30);
    assertEquals("cluster@example.com", restored.bodyAsJsonObject().getJsonObject("user").getString("email"),
        "the new service node serves the same store, without restarting the gateway");
    awaitStatus(gatewayTwo, "/health/ready", null, 200, 30);
  }
}
