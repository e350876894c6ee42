package com.connectbest.chat.app;

import com.connectbest.chat.common.testing.WebSockets;
import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three identical nodes (every verticle and a gateway each) as separate JVMs on 127.0.0.1, without S3 configured:
 * node A owns the embedded store, B and C use it. Files uploaded on one node are served by all; a node paused with
 * SIGSTOP past the failure timeout says it lost the cluster (503 with Retry-After, not ready, bridge sockets closed
 * with 1013) and rejoins within 30 s of being continued; a node paused for a moment while it owes its sockets live
 * copies writes every one of them after being continued.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

  private static final String SECRET = "cluster-faults-it-secret-that-is-long-enough-0123456789";
  private static final int FAILURE_TIMEOUT_SECONDS = 4;
  private static final List<NodeProcess> NODES = new ArrayList<>();
  /** Sockets on node C and messages posted around its pause (below the failure timeout). */
  private static final int OWED_SOCKETS = 40;
  private static final int OWED_MESSAGES = 30;
  private static final long PAUSE_MS = 1_500;

  private static Vertx vertx;
  private static WebClient http;
  private static int[] gateways;
  private static String token;
  private static String userId;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000)
        .setFollowRedirects(false));
    Path data = Files.createTempDirectory("connectbest-faults-it");
    int[] ports = NodeProcess.freePorts(7);
    gateways = new int[] {ports[3], ports[4], ports[5]};
    Map<String, String> common = new HashMap<>(NodeProcess.clusterOn(ports[0], ports[1], ports[2]));
    common.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", String.valueOf(FAILURE_TIMEOUT_SECONDS));
    common.put("JWT_SECRET_KEY", SECRET);
    common.put("SERVICE_TIMEOUT_MS", "3000");
    common.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[6]));
    common.put("GATEWAY_INSTANCES", "1");
    common.put("METRICS_SAMPLE_INTERVAL_MS", "1000");
    common.put("MONGODB_URI", null);
    common.put("S3_BUCKET_NAME", null);
    common.put("S3_ENDPOINT", null);
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>(common);
      env.put("CLUSTER_PORT", String.valueOf(ports[i]));
      env.put("PORT", String.valueOf(gateways[i]));
      env.put("DATA_DIR", data.resolve("node-" + i).toString());
      if (i > 0) {
        env.put("MONGODB_URI", "mongodb://127.0.0.1:" + ports[6]);
      }
      if (i == 2) {
        // one copy per event-loop turn: node C's sockets are owed copies for a while after every post
        env.put("BRIDGE_FANOUT_SLICE", "1");
      }
      NODES.add(new NodeProcess("faults-" + (char) ('a' + i), env));
    }
    for (NodeProcess node : NODES) {
      node.awaitReady(seconds(240));
    }
    for (int port : gateways) {
      awaitStatus(port, "/health/ready", 200, 60);
    }
    HttpResponse<Buffer> registered = call(gateways[0], HttpMethod.POST, "/api/auth/register", null, new JsonObject()
        .put("email", "faults@example.com").put("password", "SecurePass123").put("name", "Fault Tolerant"));
    assertEquals(201, registered.statusCode(), registered.bodyAsString());
    JsonObject login = call(gateways[0], HttpMethod.POST, "/api/auth/login", null, new JsonObject()
        .put("email", "faults@example.com").put("password", "SecurePass123")).bodyAsJsonObject();
    token = login.getString("token");
    userId = login.getJsonObject("user").getString("id");
  }

  @AfterAll
  static void stopCluster() {
    NODES.forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @Order(1)
  @DisplayName("a file uploaded through node A downloads through nodes B and C, all without S3 configured")
  void filesAcrossNodes() {
    Buffer png = UploadsTest.file(UploadsTest.PNG, 20_000);
    HttpResponse<Buffer> uploaded = http.post(gateways[0], "127.0.0.1", "/api/upload/avatar")
        .bearerTokenAuthentication(token).timeout(10_000)
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("file", "me.png", png, "image/png")).await();
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    String path = URI.create(uploaded.bodyAsJsonObject().getString("avatar_url")).getRawPath();
    for (int port : new int[] {gateways[0], gateways[1], gateways[2]}) {
      HttpResponse<Buffer> redirect = call(port, HttpMethod.GET, path, null, null);
      assertEquals(302, redirect.statusCode(), "node on " + port + ": " + redirect.bodyAsString());
      HttpResponse<Buffer> download = http.getAbs(redirect.getHeader("Location")).send().await();
      assertEquals(200, download.statusCode(), "node on " + port);
      assertEquals(png, download.body(), "node on " + port + " served other bytes");
    }
    assertTrue(!NODES.get(1).output().contains("Embedded S3 server at")
        && !NODES.get(2).output().contains("Embedded S3 server at"), "only the store owner starts an S3 server");
  }

  @Test
  @Order(2)
  @DisplayName("a node paused for a moment while it owes its sockets live copies writes every copy after SIGCONT: "
      + "each socket gets each message once, all in the same order")
  void pausedWhileOwingCopies() throws Exception {
    int owing = gateways[2];
    awaitWholeCluster();
    String channel = call(gateways[0], HttpMethod.POST, "/api/chat/channels", token, new JsonObject()
        .put("name", "owed-copies")).bodyAsJsonObject().getJsonObject("channel").getString("id");
    List<BridgeClient> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < OWED_SOCKETS; i++) {
        BridgeClient socket = new BridgeClient(vertx, owing);
        sockets.add(socket);
        socket.register(Addresses.channel(channel), token);
        assertTrue(socket.awaitRegistered(Addresses.channel(channel), 10_000), "socket " + i + " not registered");
      }
      String path = "/api/chat/channels/" + channel + "/messages/send";
      long owedBeforePause = 0;
      int posted = 0;
      // node C writes one copy per turn, so a few quick posts leave it owing copies; it is paused while it does
      while (posted < OWED_MESSAGES / 2 && owedBeforePause == 0) {
        post(path, posted++);
        if (posted >= 5) {
          owedBeforePause = fanOutOwed(owing);
        }
      }
      assertTrue(owedBeforePause > 0, "node C never owed a copy: the test would not test the pause");
      NODES.get(2).pause();
      long pausedAt = System.currentTimeMillis();
      // posts go on through node A, not awaited: one whose request lands on node C's services waits for the SIGCONT
      List<Future<HttpResponse<Buffer>>> duringPause = new ArrayList<>();
      while (posted < OWED_MESSAGES) {
        duringPause.add(http.post(gateways[0], "127.0.0.1", path).bearerTokenAuthentication(token).timeout(10_000)
            .sendJsonObject(new JsonObject().put("content", "owed " + posted++)));
      }
      NodeProcess.sleep(Math.max(0, pausedAt + PAUSE_MS - System.currentTimeMillis()));
      NODES.get(2).resume();
      for (Future<HttpResponse<Buffer>> sent : duringPause) {
        HttpResponse<Buffer> answer = sent.await();
        assertEquals(201, answer.statusCode(), answer.bodyAsString());
      }
      List<String> first = null;
      for (int i = 0; i < sockets.size(); i++) {
        List<String> got = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (got.size() < posted && System.currentTimeMillis() < deadline) {
          JsonObject frame = sockets.get(i).nextEvent("new_message", deadline - System.currentTimeMillis());
          if (frame != null) {
            got.add(frame.getJsonObject("body").getString("content"));
          }
        }
        assertEquals(posted, got.size(), "socket " + i + " got " + got.size() + " of " + posted + ": " + got);
        assertEquals(posted, new java.util.HashSet<>(got).size(), "socket " + i + " got a copy twice: " + got);
        assertNull(sockets.get(i).nextEvent("new_message", i == 0 ? 1000 : 0), "socket " + i + " got more");
        if (first == null) {
          first = got;
        } else {
          assertEquals(first, got, "socket " + i + " got the messages in another order than socket 0");
        }
      }
      assertEquals(0, fanOutOwed(owing), "node C still owes copies");
      System.out.println("ClusterFaultsIT: node C owed " + owedBeforePause + " copies when paused for " + PAUSE_MS
          + " ms; " + OWED_SOCKETS + " sockets each got all " + posted + " messages in one order");
    } finally {
      sockets.forEach(BridgeClient::close);
    }
  }

  private static void post(String path, int n) {
    HttpResponse<Buffer> sent = call(gateways[0], HttpMethod.POST, path, token,
        new JsonObject().put("content", "owed " + n));
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
  }

  /** The node's {@code chat_bridge_fanout_owed} gauge. */
  private static long fanOutOwed(int port) {
    String metrics = call(port, HttpMethod.GET, "/metrics", null, null).bodyAsString();
    java.util.regex.Matcher owed = java.util.regex.Pattern.compile("(?m)^chat_bridge_fanout_owed(?:\\{[^}]*\\})? (\\S+)$")
        .matcher(metrics);
    assertTrue(owed.find(), "no chat_bridge_fanout_owed on /metrics");
    return (long) Double.parseDouble(owed.group(1));
  }

  @Test
  @Order(3)
  @DisplayName("a node paused past the failure timeout closes its sockets with 1013, answers 503 with Retry-After "
      + "and is not ready, then rejoins within 30 s and delivers again")
  void pausedNodeSaysSoAndRejoins() throws Exception {
    int paused = gateways[2];
    awaitWholeCluster();
    WebSocket socket = socket(paused);
    Promise<String> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode() + " " + socket.closeReason()));

    NODES.get(2).pause();
    long pausedAt = System.currentTimeMillis();
    // the others drop the paused node after the failure timeout, and keep serving as a two-member majority; on a
    // loaded host (CI: three JVMs and Maven on two cores) the two live nodes can also miss each other's heartbeats
    // for the test's 4 s timeout, split, and merge back after Hazelcast's merge delays (5 s, then every 5 s, slower
    // while one configured member is paused): 60 s covers that, and the time it took is printed
    awaitMembers(gateways[0], 2, 60);
    System.out.println("ClusterFaultsIT: two members " + (System.currentTimeMillis() - pausedAt) + " ms after the pause");
    awaitStatus(gateways[0], "/health/ready", 200, 15); // once the dead node's subscriptions are gone
    NodeProcess.sleep(Math.max(0, pausedAt + (FAILURE_TIMEOUT_SECONDS + 2) * 1000L - System.currentTimeMillis()));
    NODES.get(2).resume();
    long resumedAt = System.currentTimeMillis();

    assertEquals("1013 try again later: this node lost the cluster",
        closed.future().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS));
    HttpResponse<Buffer> refused = awaitStatus(paused, "/api/auth/me", 503, 15);
    assertEquals("SERVICE_UNAVAILABLE", refused.bodyAsJsonObject().getString("error"), refused.bodyAsString());
    assertNotNull(refused.getHeader("Retry-After"), "a 503 while cut off says when to retry");

    awaitStatus(paused, "/health/ready", 200, 30);
    long rejoined = System.currentTimeMillis() - resumedAt;
    assertTrue(rejoined <= 30_000, "rejoined " + rejoined + " ms after the pause ended");
    awaitMembers(paused, 3, 10);
    assertEquals(200, call(paused, HttpMethod.GET, "/api/auth/me", token, null).statusCode());

    String channel = call(gateways[0], HttpMethod.POST, "/api/chat/channels", token, new JsonObject()
        .put("name", "after-pause")).bodyAsJsonObject().getJsonObject("channel").getString("id");
    try (BridgeClient again = new BridgeClient(vertx, paused)) {
      again.register(Addresses.channel(channel), token);
      NodeProcess.sleep(500);
      HttpResponse<Buffer> sent = call(gateways[0], HttpMethod.POST, "/api/chat/channels/" + channel
          + "/messages/send", token, new JsonObject().put("content", "after the pause"));
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      assertNotNull(again.nextEvent("new_message", 5000), "the rejoined node delivers to its new sockets");
    }
    System.out.println("ClusterFaultsIT: the paused node rejoined " + rejoined + " ms after SIGCONT");
  }

  /** On a loaded machine a node can stall long enough to be dropped on its own: each pause starts from all three. */
  private static void awaitWholeCluster() {
    for (int port : gateways) {
      awaitStatus(port, "/health/ready", 200, 60);
    }
    awaitMembers(gateways[2], 3, 60);
  }

  private static WebSocket socket(int port) {
    WebSocket socket = WebSockets.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(port).setURI("/eventbus/websocket")).await();
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", Addresses.user(userId))
        .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode()).await();
    return socket;
  }

  private static void awaitMembers(int port, int members, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<Buffer> health = call(port, HttpMethod.GET, "/api/metrics/health", null, null);
        last = health.bodyAsString();
        JsonObject cluster = health.bodyAsJsonObject().getJsonObject("services", new JsonObject())
            .getJsonObject("cluster", new JsonObject());
        if (health.statusCode() == 200 && cluster.getInteger("members", 0) == members) {
          return;
        }
      } catch (Exception noAnswer) {
        last = noAnswer.toString();
      }
      NodeProcess.sleep(250);
    }
    throw new AssertionError("node on " + port + " never reported " + members + " members; last: " + last);
  }

  private static HttpResponse<Buffer> call(int port, HttpMethod method, String path, String bearer, JsonObject body) {
    HttpRequest<Buffer> request = http.request(method, port, "127.0.0.1", path).timeout(10_000);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static HttpResponse<Buffer> awaitStatus(int port, String path, int status, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    HttpResponse<Buffer> last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        last = call(port, HttpMethod.GET, path, path.startsWith("/api/") ? token : null, null);
        if (last.statusCode() == status) {
          return last;
        }
      } catch (Exception noAnswer) {
        last = null;
      }
      NodeProcess.sleep(200);
    }
    throw new AssertionError("GET " + path + " on " + port + " never answered " + status + "; last: "
        + (last == null ? "no answer" : last.statusCode() + " " + last.bodyAsString()));
  }
}
