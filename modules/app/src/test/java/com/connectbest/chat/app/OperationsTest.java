package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.NodeClusterState;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What operators read: health, the admin figures, alarms, costs, security counters and Prometheus metrics. */
class OperationsTest {

  private static final String METRICS_TOKEN = "scrape-me-please";

  private static TestSystem system;
  private static JsonObject admin;
  private static JsonObject ann;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject().put("METRICS_SAMPLE_INTERVAL_MS", 200).put("METRICS_TOKEN", METRICS_TOKEN));
    admin = system.signUp("admin@example.com", "Site Admin");
    ann = system.signUp("ann.ops@example.com", "Ann Ops");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static HttpResponse<Buffer> asAdmin(String operationId, String path) {
    HttpResponse<Buffer> response = system.contract.assertConforms(operationId, system.get(path, admin.getString("token")));
    assertEquals(200, response.statusCode(), path + " " + response.bodyAsString());
    return response;
  }

  /** Polls an admin figure until it satisfies the condition (samples arrive every 200 ms). */
  private static JsonObject eventually(String operationId, String path, Predicate<JsonObject> condition) {
    return poll(() -> asAdmin(operationId, path).bodyAsJsonObject(), condition, path);
  }

  /** Polls a series until its newest point satisfies the condition. */
  private static JsonArray eventuallySeries(String path, Predicate<Double> condition) {
    return poll(() -> asAdmin("getTimeseries", path).bodyAsJsonArray(), series -> {
      Object newest = series.getJsonObject(series.size() - 1).getValue("value");
      return newest instanceof Number number && condition.test(number.doubleValue());
    }, path);
  }

  private static <T> T poll(Supplier<T> read, Predicate<T> condition, String path) {
    long deadline = System.currentTimeMillis() + 5_000;
    T last;
    do {
      last = read.get();
      if (condition.test(last)) {
        return last;
      }
      NodeProcess.sleep(100);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError(path + " never satisfied the condition; last answer " + last);
  }

  @Test
  @DisplayName("a node cut off from the cluster reports itself unhealthy with the reason, and healthy again once back")
  void healthWhileCutOff() {
    NodeClusterState.publish(system.vertx, new NodeClusterState(false, 1, 2, "test: alone", System.currentTimeMillis()));
    try {
      HttpResponse<Buffer> response = system.contract.assertConforms("getHealth",
          system.get("/api/metrics/health", null));
      assertEquals(503, response.statusCode(), response.bodyAsString());
      JsonObject health = response.bodyAsJsonObject();
      assertEquals("unhealthy", health.getString("status"), health.encode());
      JsonObject cluster = health.getJsonObject("services").getJsonObject("cluster");
      assertEquals("unhealthy", cluster.getString("status"));
      assertEquals("test: alone", cluster.getString("reason"));
      assertEquals(503, system.get("/health/ready", null).statusCode());
    } finally {
      NodeClusterState.publish(system.vertx, new NodeClusterState(true, 1, 1, null, System.currentTimeMillis()));
    }
    assertEquals(200, system.get("/api/metrics/health", null).statusCode());
  }

  @Test
  @DisplayName("the public health report checks the database, storage, mail and cluster")
  void health() {
    HttpResponse<Buffer> response = system.contract.assertConforms("getHealth", system.get("/api/metrics/health", null));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject health = response.bodyAsJsonObject();
    assertEquals("healthy", health.getString("status"), health.encode());
    JsonObject services = health.getJsonObject("services");
    assertNotNull(services.getJsonObject("database").getDouble("latency_ms"));
    assertEquals("healthy", services.getJsonObject("storage").getString("status"));
    assertEquals("smtp", services.getJsonObject("mail").getString("mode"), "the test system mails through GreenMail");
    assertEquals(1, services.getJsonObject("cluster").getInteger("members"));
    assertTrue(health.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), health.getString("version"));
    assertTrue(health.getDouble("uptime") > 0 && health.getDouble("uptime") <= 100, "a percentage: " + health);
    assertTrue(health.getDouble("uptime_seconds") > 0);
    HttpResponse<Buffer> alias = system.contract.assertConforms("getApiHealth", system.get("/api/health", null));
    assertEquals(200, alias.statusCode(), alias.bodyAsString());
    assertEquals("healthy", alias.bodyAsJsonObject().getString("status"));
  }

  @Test
  @DisplayName("log insights count logged warnings and errors, the slowest operations and the last hour's activity")
  void logsInsights() {
    JsonObject first = asAdmin("getLogsInsights", "/api/metrics/logs-insights").bodyAsJsonObject();
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.connectbest.chat.test.LogsInsightsProbe");
    log.warn("probe warning");
    log.error("probe error {}", 1);
    log.error("probe error {}", 2);
    JsonObject bea = system.signUp("bea.insights@example.com", "Bea Insights");
    String channel = system.post("/api/chat/channels", bea.getString("token"),
        new JsonObject().put("name", "insights-room").put("type", "public")).bodyAsJsonObject()
        .getJsonObject("channel").getString("id");
    assertEquals(201, system.post("/api/chat/channels/" + channel + "/messages/send", bea.getString("token"),
        new JsonObject().put("content", "counted")).statusCode());

    JsonObject after = asAdmin("getLogsInsights", "/api/metrics/logs-insights").bodyAsJsonObject();
    assertTrue(after.getLong("warningCount") >= first.getLong("warningCount") + 1, after.encode());
    assertTrue(after.getLong("errorCount") >= first.getLong("errorCount") + 2, after.encode());
    assertTrue(after.getJsonArray("topErrors").stream().map(JsonObject.class::cast).anyMatch(error ->
        error.getString("error").equals("LogsInsightsProbe: probe error {}") && error.getLong("count") >= 2),
        "grouped by pattern: " + after.getJsonArray("topErrors"));
    JsonObject activity = after.getJsonObject("userActivity");
    assertTrue(activity.getLong("messagesSentLastHour") >= 1, activity.encode());
    assertTrue(activity.getLong("activeUsers") >= 1, activity.encode());
    assertTrue(activity.getLong("newRegistrations") >= 3, "admin, ann and bea registered just now: " + activity);
    assertEquals(activity.getLong("messagesSentLastHour") - first.getJsonObject("userActivity")
        .getLong("messagesSentLastHour"), 1L, "one message was sent in between");
    assertTrue(activity.getString("peakHour").matches("\\d\\d:00"), activity.encode());
    assertTrue(!after.getJsonArray("slowestEndpoints").isEmpty(), after.encode());
    assertEquals(after.getJsonArray("slowestEndpoints").size(), after.getJsonArray("performanceInsights").size());
    assertError(system.get("/api/metrics/logs-insights", ann.getString("token")), 403);
  }

  @Test
  @DisplayName("log insights are the cluster's: another node's published log snapshot is added in, and drops out when it falls silent")
  void logsInsightsSumNodes() {
    JsonObject before = asAdmin("getLogsInsights", "/api/metrics/logs-insights").bodyAsJsonObject();
    JsonObject other = new JsonObject().put("node_id", "other-node").put("at", System.currentTimeMillis())
        .put("errors", 1000).put("warnings", 2000)
        .put("top_errors", new JsonArray().add(new JsonObject().put("error", "OtherNode: disk full").put("count", 1000)
            .put("first_seen", "2026-01-01T00:00:00Z")))
        .put("operations", new JsonArray().add(new JsonObject().put("operation", "otherNodeOnlyOperation")
            .put("count", 4).put("total_ms", 400_000.0).put("max_ms", 150_000.0)));
    system.vertx.eventBus().publish(Addresses.METRICS_LOGS, other);
    JsonObject summed = eventually("getLogsInsights", "/api/metrics/logs-insights",
        figures -> figures.getLong("errorCount") >= before.getLong("errorCount") + 1000);
    assertTrue(summed.getLong("warningCount") >= before.getLong("warningCount") + 2000, summed.encode());
    assertEquals("OtherNode: disk full", summed.getJsonArray("topErrors").getJsonObject(0).getString("error"));
    JsonObject slowest = summed.getJsonArray("slowestEndpoints").getJsonObject(0);
    assertEquals("otherNodeOnlyOperation", slowest.getString("endpoint"), summed.encode());
    assertEquals(100_000.0, slowest.getDouble("average_ms"));
    // samples every 200 ms: after three intervals without a snapshot the other node counts as gone
    JsonObject aged = eventually("getLogsInsights", "/api/metrics/logs-insights",
        figures -> figures.getLong("errorCount") < before.getLong("errorCount") + 1000);
    assertTrue(aged.getJsonArray("topErrors").stream().map(JsonObject.class::cast)
        .noneMatch(error -> error.getString("error").startsWith("OtherNode")), aged.encode());
  }

  @Test
  @DisplayName("liveness and readiness answer for probes, readiness naming every service it pinged")
  void probes() {
    HttpResponse<Buffer> live = system.get("/health/live", null);
    assertEquals(200, live.statusCode(), live.bodyAsString());
    assertEquals("nosniff", live.getHeader("X-Content-Type-Options"));
    HttpResponse<Buffer> ready = system.get("/health/ready", null);
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    Set<String> checked = ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> "UP".equals(check.getString("status"))).map(check -> check.getString("id"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("auth", "channels", "messages", "dms", "uploads", "metrics"), checked);
  }

  @Test
  @DisplayName("live sockets, messages and requests show in the system figures and the series")
  void systemFigures() {
    String channel = system.post("/api/chat/channels", ann.getString("token"), new JsonObject().put("name", "ops"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    for (int i = 0; i < 3; i++) {
      system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
          new JsonObject().put("content", "figure " + i));
    }
    try (BridgeClient one = new BridgeClient(system.vertx, system.port);
         BridgeClient two = new BridgeClient(system.vertx, system.port)) {
      one.register(Addresses.user(ann.getString("id")), ann.getString("token"));
      two.register(Addresses.user(ann.getString("id")), ann.getString("token"));
      JsonObject figures = eventually("getSystemMetrics", "/api/metrics/system",
          f -> f.getInteger("activeConnections") >= 2);
      assertTrue(figures.getLong("totalMessages") >= 3, figures.encode());
      assertTrue(figures.getDouble("averageLatency") > 0, figures.encode());
      assertTrue(figures.getDouble("memoryUsage") > 0 && figures.getDouble("memoryUsage") <= 100, figures.encode());

      JsonArray connections = eventuallySeries("/api/metrics/timeseries/connections?period=1&points=60",
          newest -> newest >= 2);
      assertEquals(60, connections.size());
      assertEquals(20, asAdmin("getTimeseries", "/api/metrics/timeseries/latency").bodyAsJsonArray().size(),
          "20 points by default");
    }
    assertError(system.get("/api/metrics/timeseries/disk", admin.getString("token")), 400);
    assertError(system.get("/api/metrics/timeseries/cpu?points=0", admin.getString("token")), 400);
    assertError(system.get("/api/metrics/timeseries/cpu?period=1441", admin.getString("token")), 400);
  }

  @Test
  @DisplayName("the configured alarms are listed, waiting for enough data; the cost is an estimate from the price table")
  void alarmsAndCosts() {
    JsonArray alarms = asAdmin("getAlarms", "/api/metrics/alarms").bodyAsJsonArray();
    assertEquals(List.of("chat-HighCPU", "chat-HighMemory", "chat-HighLatency", "chat-HighErrorRate"),
        alarms.stream().map(JsonObject.class::cast).map(a -> a.getString("name")).toList());
    alarms.stream().map(JsonObject.class::cast).forEach(alarm ->
        assertEquals("INSUFFICIENT_DATA", alarm.getString("state"), "five minutes are not covered yet: " + alarm));

    JsonObject costs = asAdmin("getCosts", "/api/metrics/costs").bodyAsJsonObject();
    assertEquals(true, costs.getBoolean("estimate"));
    assertEquals("USD", costs.getString("currency"));
    assertEquals(0.0416 * 24, costs.getJsonArray("topServices").getJsonObject(0).getDouble("cost"), 1e-4,
        "one node at the configured hourly price");
  }

  @Test
  @DisplayName("forged tokens, bad passwords and refused bridge registrations are counted in the security figures")
  void securityCounters() {
    JsonObject before = eventually("getSecurityMetrics", "/api/metrics/security", f -> true);
    assertError(system.get("/api/auth/me", "eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiYWJjIn0."), 401);
    assertError(system.post("/api/auth/login", null, new JsonObject().put("email", "ann.ops@example.com")
        .put("password", "WrongPassword1")), 401);
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.user(admin.getString("id")), ann.getString("token"));
      assertEquals("err", socket.next(3000).getString("type"));
    }
    JsonObject after = eventually("getSecurityMetrics", "/api/metrics/security",
        f -> f.getLong("threatsBlocked") > before.getLong("threatsBlocked")
            && f.getLong("authenticationFailures") >= before.getLong("authenticationFailures") + 2
            && f.getLong("suspiciousActivity") > before.getLong("suspiciousActivity"));
    assertFalse(after.getJsonArray("checks").isEmpty());
    double score = after.getDouble("complianceScore");
    assertTrue(score > 0 && score < 100, "a test deployment is not fully hardened: " + score);
  }

  @Test
  @DisplayName("Prometheus metrics need the metrics token and include HTTP, event-bus, JVM and domain meters")
  void prometheus() throws IOException {
    assertError(system.get("/metrics", null), 401);
    assertError(system.get("/metrics", "wrong-token"), 401);
    system.get("/api/auth/status", null);
    String channel = system.post("/api/chat/channels", ann.getString("token"), new JsonObject().put("name", "scraped"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
        new JsonObject().put("content", "counted by kind"));
    HttpResponse<Buffer> scraped = system.get("/metrics", METRICS_TOKEN);
    assertEquals(200, scraped.statusCode());
    assertTrue(scraped.getHeader("Content-Type").startsWith("text/plain"));
    String text = scraped.bodyAsString();
    for (String name : List.of("chat_http_requests_seconds_count", "chat_sockjs_sessions", "vertx_http_server_requests",
        "vertx_eventbus_", "jvm_memory_used_bytes")) {
      assertTrue(text.contains(name), "no " + name + " in the scrape");
    }
    assertTrue(text.contains("address=\"chat.channel.*\""), "channel events are counted under one address");
    assertFalse(Pattern.compile("address=\"chat\\.(channel|user)\\.[0-9a-f]").matcher(text).find(),
        "no time series per channel or user address");
    Matcher charted = Pattern.compile("\\b((?:chat|jvm|vertx)_[a-z_]+)").matcher(
        Files.readString(DockerDeploymentTest.ROOT.resolve("docker/grafana/dashboards/connectbest-chat.json")));
    int names = 0;
    while (charted.find()) {
      names++;
      assertTrue(text.contains(charted.group(1) + "{") || text.contains(charted.group(1) + " "),
          "the Grafana dashboard charts " + charted.group(1) + ", which this server does not export");
    }
    assertTrue(names >= 10, "the dashboard charts " + names + " series");
  }
}
