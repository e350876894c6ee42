package com.connectbest.chat.app;

import com.connectbest.chat.common.testing.WebSockets;
import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SIGTERM in the middle of 300 concurrent sends, against the fat jar on a fresh DATA_DIR, then a restart. */
class GracefulShutdownIT {

  private static final int SENDS = 300;
  private static final String SECRET = "shutdown-it-secret-0123456789abcdef-0123456789";

  private Vertx vertx;
  private HttpClient http;
  private final List<NodeProcess> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    vertx = Vertx.vertx();
    // One connection per request (no keep-alive), all opened at once: a request either reaches the server on its
    // own connection, or its connection is refused.
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(5_000)
        .setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(SENDS + 10));
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** How one send ended. */
  private static final class Outcome {
    volatile boolean connected;
    volatile int status;
    volatile String body;
    volatile Throwable failure;
  }

  private Future<JsonObject> call(int port, HttpMethod method, String path, String token, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .putHeader("Content-Type", "application/json");
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body.encode()))
        .compose(response -> response.body().map(buffer -> {
          if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + buffer);
          }
          return buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
        }));
  }

  private Outcome send(int port, String channel, String token, int n, AtomicInteger answered) {
    Outcome outcome = new Outcome();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI("/api/chat/channels/" + channel + "/messages/send")
            .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer " + token))
        .onSuccess(request -> outcome.connected = true)
        .compose(request -> request.send(new JsonObject().put("content", "in flight " + n).encode()))
        .compose(response -> response.body().map(body -> {
          outcome.body = body.toString();
          outcome.status = response.statusCode();
          return body;
        }))
        .onComplete(done -> {
          if (done.failed()) {
            outcome.failure = done.cause();
          }
          answered.incrementAndGet();
        });
    return outcome;
  }

  private NodeProcess start(String name, Map<String, String> env) {
    NodeProcess node = new NodeProcess(name, env);
    nodes.add(node);
    node.awaitReady(seconds(60));
    return node;
  }

  private Set<String> storedIds(int port, String token, String channel) {
    Set<String> stored = new HashSet<>();
    String before = null;
    do {
      String query = "?limit=100" + (before == null ? "" : "&before=" + before);
      JsonObject page = call(port, HttpMethod.GET, "/api/chat/channels/" + channel + "/messages" + query, token, null)
          .await();
      page.getJsonArray("messages").forEach(m -> stored.add(((JsonObject) m).getString("id")));
      before = page.getBoolean("has_more") ? page.getJsonArray("messages").getJsonObject(page.getJsonArray("messages").size() - 1).getString("id") : null;
    } while (before != null);
    return stored;
  }

  @Test
  @DisplayName("on SIGTERM every request the server took is answered, sockets hear 1001, and every 201 survives")
  void sigtermDuringSends() throws Exception {
    Path dataDir = Files.createTempDirectory("connectbest-shutdown-it");
    int port = TestSystem.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("HOST", "127.0.0.1");
    env.put("PORT", String.valueOf(port));
    env.put("DATA_DIR", dataDir.toString());
    env.put("EMBEDDED_MONGO_PORT", String.valueOf(TestSystem.freePort()));
    env.put("JWT_SECRET_KEY", SECRET);
    env.put("RATE_LIMITS", TestSystem.GENEROUS_LIMITS.encode());
    env.put("SHUTDOWN_GRACE_SECONDS", "10");
    NodeProcess node = start("shutdown-1", env);

    call(port, HttpMethod.POST, "/api/auth/register", null, new JsonObject().put("email", "drain@example.com")
        .put("password", TestSystem.PASSWORD).put("name", "Dra In")).await();
    String token = call(port, HttpMethod.POST, "/api/auth/login", null, new JsonObject()
        .put("email", "drain@example.com").put("password", TestSystem.PASSWORD)).await().getString("token");
    String channel = call(port, HttpMethod.POST, "/api/chat/channels", token, new JsonObject().put("name", "drain"))
        .await().getJsonObject("channel").getString("id");

    Promise<short[]> closedWith = Promise.promise();
    List<String> closeReason = new ArrayList<>();
    WebSocket socket = WebSockets.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(port).setURI("/eventbus/websocket")).await();
    socket.closeHandler(v -> {
      closeReason.add(socket.closeReason());
      closedWith.tryComplete(new short[] {socket.closeStatusCode() == null ? -1 : socket.closeStatusCode()});
    });

    AtomicInteger finished = new AtomicInteger();
    List<Outcome> outcomes = new ArrayList<>();
    for (int n = 0; n < SENDS; n++) {
      outcomes.add(send(port, channel, token, n, finished));
    }
    // SIGTERM once the server is answering, while most sends are still in flight.
    long waitUntil = System.currentTimeMillis() + 10_000;
    while (finished.get() < 10 && System.currentTimeMillis() < waitUntil) {
      Thread.sleep(1);
    }
    int finishedAtSigterm = finished.get();
    long connectedAtSigterm = outcomes.stream().filter(o -> o.connected).count();
    node.terminate();
    int exit = node.awaitExit(seconds(40));
    waitUntil = System.currentTimeMillis() + 10_000;
    while (finished.get() < SENDS && System.currentTimeMillis() < waitUntil) {
      Thread.sleep(10);
    }
    assertEquals(SENDS, finished.get(), "every send must end one way or another");

    Set<String> acknowledged = new HashSet<>();
    int answered = 0;
    int refused = 0;
    List<String> unanswered = new ArrayList<>();
    Map<Integer, Integer> statuses = new HashMap<>();
    for (Outcome outcome : outcomes) {
      if (outcome.failure == null) {
        answered++;
        statuses.merge(outcome.status, 1, Integer::sum);
        if (outcome.status / 100 == 2) {
          acknowledged.add(new JsonObject(outcome.body).getJsonObject("message").getString("id"));
        }
      } else if (!outcome.connected) {
        refused++;
      } else {
        unanswered.add(outcome.failure.toString());
      }
    }
    String log = node.output();
    System.out.println("graceful shutdown: sent " + SENDS + ", connected at SIGTERM " + connectedAtSigterm
        + ", finished at SIGTERM " + finishedAtSigterm + ", answered " + answered + " " + statuses + ", refused before"
        + " acceptance " + refused + ", accepted but unanswered " + unanswered.size() + ", exit code " + exit);
    assertTrue(unanswered.isEmpty(), "requests the server took but never answered: " + unanswered);
    assertTrue(answered > finishedAtSigterm, "some sends must have been in flight at SIGTERM");
    assertEquals(1001, closedWith.future().await()[0], "bridge sockets are closed with 1001");
    assertEquals(List.of("going away: node shutting down"), closeReason);
    for (String step : List.of("Shutdown requested", "Shutdown: readiness now answers 503", "Shutdown: HTTP server closed",
        "Shutdown: verticles undeployed", "Shutdown: Vert.x closed", "Shutdown: embedded MongoDB flushed and closed",
        "Shutdown complete")) {
      assertEquals(1, log.split(java.util.regex.Pattern.quote(step), -1).length - 1, step + " logged once:\n" + log);
    }
    assertTrue(!log.contains("Exception"), "a clean shutdown logs no exception:\n" + around(log, "Exception"));

    NodeProcess again = start("shutdown-2", env);
    Set<String> stored = storedIds(port, token, channel);
    Set<String> missing = new HashSet<>(acknowledged);
    missing.removeAll(stored);
    System.out.println("graceful shutdown: after restart " + acknowledged.size() + " acknowledged, "
        + (acknowledged.size() - missing.size()) + " found, " + stored.size() + " stored in the channel");
    assertTrue(missing.isEmpty(), missing.size() + " acknowledged messages lost: " + missing);
    again.terminate();
    again.awaitExit(seconds(30));
  }

  /** The lines around each occurrence of {@code word}, so a long log's cause is not cut from a truncated report. */
  private static String around(String log, String word) {
    String[] lines = log.split("\n");
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(word)) {
        for (int j = Math.max(0, i - 2); j < Math.min(lines.length, i + 8); j++) {
          shown.append(lines[j]).append('\n');
        }
        shown.append("...\n");
      }
    }
    return shown.toString();
  }
}
