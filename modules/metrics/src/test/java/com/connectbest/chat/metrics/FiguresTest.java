package com.connectbest.chat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The formulas behind /api/metrics: series buckets, alarms, costs and the compliance score. */
class FiguresTest {

  private static final long INTERVAL = 10_000;
  private static final long NOW = 1_700_000_000_000L;

  private static Sample sample(String node, long at, double cpu, int connections, long requests, long errors,
                               double latencyMs) {
    return new Sample(node, at, cpu, 50, connections, requests, errors, latencyMs, 0, 0, 0, 0);
  }

  private static SampleBook book(Sample... samples) {
    SampleBook book = new SampleBook(INTERVAL, 24 * 3_600_000L);
    for (Sample sample : samples) {
      book.add(sample);
    }
    return book;
  }

  @Test
  @DisplayName("a series has the requested number of points, null where no node sampled")
  void seriesBuckets() {
    SampleBook book = book(sample("a", NOW - 5_000, 40, 3, 10, 0, 100), sample("b", NOW - 4_000, 60, 7, 30, 3, 900));
    List<Series.Point> cpu = Series.of(book, MetricType.CPU, NOW, 60_000, 6);
    assertEquals(6, cpu.size());
    assertNull(cpu.get(0).value());
    assertEquals(50.0, cpu.get(5).value(), 1e-9, "mean over nodes");
    assertEquals(10.0, Series.of(book, MetricType.CONNECTIONS, NOW, 60_000, 6).get(5).value(), 1e-9,
        "connections add up over nodes");
    assertEquals(25.0, Series.of(book, MetricType.LATENCY, NOW, 60_000, 6).get(5).value(), 1e-9,
        "latency is total time over total requests: 1000 ms / 40");
    assertEquals(7.5, Series.of(book, MetricType.ERRORS, NOW, 60_000, 6).get(5).value(), 1e-9, "3 of 40 requests");
  }

  @Test
  @DisplayName("an unknown metric type is a 400, not a crash")
  void unknownType() {
    assertEquals(400, assertThrows(ApiException.class, () -> MetricType.parse("disk")).status());
  }

  @Test
  @DisplayName("an alarm needs samples over its whole window, fires only when every interval breaches")
  void alarmStates() {
    AlarmRule rule = AlarmRule.parse(new JsonArray().add(new JsonObject().put("name", "HighCPU").put("metric", "cpu")
        .put("threshold", 80).put("minutes", 1))).get(0);
    assertEquals("INSUFFICIENT_DATA", rule.evaluate(book(), NOW).getString("state"));
    assertEquals("INSUFFICIENT_DATA", rule.evaluate(book(sample("a", NOW - 5_000, 95, 0, 0, 0, 0)), NOW)
        .getString("state"), "ten seconds of data do not cover a minute");

    SampleBook hot = book();
    SampleBook mixed = book();
    for (long at = NOW - 60_000 + 1_000; at <= NOW; at += INTERVAL) {
      hot.add(sample("a", at, 95, 0, 0, 0, 0));
      mixed.add(sample("a", at, at > NOW - 20_000 ? 95 : 50, 0, 0, 0, 0));
    }
    JsonObject alarm = rule.evaluate(hot, NOW);
    assertEquals("ALARM", alarm.getString("state"), alarm.encode());
    assertEquals(80.0, alarm.getDouble("threshold"));
    assertEquals("cpu", alarm.getString("metric"));
    assertEquals("OK", rule.evaluate(mixed, NOW).getString("state"), "a short spike is not an alarm");
  }

  @Test
  @DisplayName("the cost estimate follows the price table, and suggests scaling in only for an idle cluster")
  void costEstimate() {
    CostModel model = CostModel.parse(new JsonObject().put("node_hourly", 0.05).put("storage_gb_monthly", 0.03)
        .put("currency", "EUR"));
    JsonObject busy = model.estimate(2, 2, (long) (10 * CostModel.GIB), 70.0);
    assertEquals(2 * 0.05 * 24 + 10 * 0.03 / 30, busy.getDouble("dailyCost"), 1e-4);
    assertEquals(busy.getDouble("dailyCost") * 30, busy.getDouble("monthlyCost"), 1e-3);
    assertEquals("stable", busy.getString("costTrend"));
    assertEquals(true, busy.getBoolean("estimate"));
    assertEquals("EUR", busy.getString("currency"));
    assertEquals(0, busy.getJsonArray("optimization").size());
    JsonObject idle = model.estimate(3, 2, 0, 5.0);
    assertEquals("increasing", idle.getString("costTrend"));
    assertEquals(0.05 * 24 * 30, idle.getJsonArray("optimization").getJsonObject(0).getDouble("potentialSavings"),
        1e-4);
    assertEquals(0, model.estimate(1, 1, 0, 1.0).getJsonArray("optimization").size(), "one node cannot scale in");
  }

  @Test
  @DisplayName("the compliance score is the weighted share of passed checks")
  void complianceScore() {
    List<ComplianceChecks.Check> development = ComplianceChecks.evaluate(new Settings(new JsonObject()));
    assertTrue(ComplianceChecks.score(development) < 60, "defaults are not production-ready");
    List<ComplianceChecks.Check> hardened = ComplianceChecks.evaluate(new Settings(new JsonObject()
        .put("JWT_SECRET_KEY", "x".repeat(40)).put("APP_ENV", "production").put("METRICS_TOKEN", "t")
        .put("TWO_FACTOR_ENCRYPTION_KEY", "k".repeat(32)).put("CORS_ORIGINS", "https://chat.example.com")));
    assertEquals(100.0, ComplianceChecks.score(hardened));
    List<ComplianceChecks.Check> openProxy = ComplianceChecks.evaluate(new Settings(new JsonObject()
        .put("JWT_SECRET_KEY", "x".repeat(40)).put("APP_ENV", "production").put("METRICS_TOKEN", "t")
        .put("TWO_FACTOR_ENCRYPTION_KEY", "k".repeat(32)).put("TRUSTED_PROXIES", "0.0.0.0/0")));
    assertEquals(Math.round(1000 * 10 / 12.0) / 10.0, ComplianceChecks.score(openProxy));
  }

  @Test
  @DisplayName("the sample ring keeps a bounded history per node and forgets silent nodes for current figures")
  void boundedRings() {
    SampleBook book = new SampleBook(INTERVAL, 3 * INTERVAL);
    for (int i = 0; i < 10; i++) {
      book.add(sample("a", NOW - (9 - i) * INTERVAL, 1, 1, 0, 0, 0));
    }
    book.add(sample("gone", NOW - 10 * INTERVAL, 1, 5, 0, 0, 0));
    assertEquals(3, book.between(0, Long.MAX_VALUE).stream().filter(s -> s.nodeId().equals("a")).count());
    assertEquals(List.of("a"), book.latestOfLiveNodes(NOW).stream().map(Sample::nodeId).toList());
  }
}
