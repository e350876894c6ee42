package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/** The operational figures, computed from the cluster's samples, the services' counts and the settings. */
final class MetricsService {

  static final long RECENT_MS = 5 * 60_000L;

  private final SampleBook book;
  private final ServiceClient services;
  private final Settings settings;
  private final List<AlarmRule> alarms;
  private final CostModel costs;
  private final LongSupplier clock;

  MetricsService(SampleBook book, ServiceClient services, Settings settings, LongSupplier clock) {
    this.book = book;
    this.services = services;
    this.settings = settings;
    this.alarms = AlarmRule.parse(settings.json("ALARM_RULES"));
    this.costs = CostModel.parse(settings.json("COST_MODEL"));
    this.clock = clock;
  }

  /** Connections and security counters sum the live nodes' latest samples; latency and errors cover 5 minutes. */
  Future<JsonObject> system() {
    long now = clock.getAsLong();
    List<Sample> latest = book.latestOfLiveNodes(now);
    List<Sample> recent = book.between(now - RECENT_MS, now + 1);
    Double latency = MetricType.LATENCY.of(recent);
    Double errors = MetricType.ERRORS.of(recent);
    return services.call(Addresses.MESSAGES, InternalActions.COUNT_MESSAGES, new JsonObject())
        .map(count -> new JsonObject()
            .put("activeConnections", latest.stream().mapToInt(Sample::connections).sum())
            .put("totalMessages", count.getLong("count", 0L))
            .put("averageLatency", round(latency == null ? 0 : latency))
            .put("errorRate", round(errors == null ? 0 : errors))
            .put("cpuUsage", round(latest.stream().mapToDouble(Sample::cpu).average().orElse(0)))
            .put("memoryUsage", round(latest.stream().mapToDouble(Sample::memory).average().orElse(0))));
  }

  JsonArray timeseries(Object metricType, JsonObject query) {
    MetricType type = MetricType.parse(metricType);
    int period = bounded(query.getValue("period"), 60, 1, 1440, "period");
    int points = bounded(query.getValue("points"), 20, 1, 500, "points");
    return Series.toJson(Series.of(book, type, clock.getAsLong(), period * 60_000L, points));
  }

  JsonArray alarms() {
    long now = clock.getAsLong();
    JsonArray states = new JsonArray();
    alarms.forEach(rule -> states.add(rule.evaluate(book, now)));
    return states;
  }

  Future<JsonObject> costs() {
    long now = clock.getAsLong();
    int nodes = book.latestOfLiveNodes(now).size();
    long oldest = book.oldest();
    int nodesBefore = oldest < 0 ? nodes
        : (int) book.between(oldest, oldest + book.intervalMs()).stream().map(Sample::nodeId).distinct().count();
    Double hourCpu = MetricType.CPU.of(book.between(now - 3_600_000L, now + 1));
    return services.call(Addresses.UPLOADS, InternalActions.STORAGE_USAGE, new JsonObject())
        .map(usage -> costs.estimate(Math.max(nodes, 1), Math.max(nodesBefore, 1), usage.getLong("bytes", 0L),
            hourCpu));
  }

  JsonObject security() {
    List<Sample> latest = book.latestOfLiveNodes(clock.getAsLong());
    List<ComplianceChecks.Check> checks = ComplianceChecks.evaluate(settings);
    return new JsonObject()
        .put("threatsBlocked", latest.stream().mapToLong(Sample::blocked).sum())
        .put("suspiciousActivity", latest.stream().mapToLong(s -> s.rateLimited() + s.bridgeDenied()).sum())
        .put("authenticationFailures", latest.stream().mapToLong(Sample::authFailures).sum())
        .put("complianceScore", ComplianceChecks.score(checks))
        .put("lastSecurityScan", Instant.ofEpochMilli(clock.getAsLong()).toString())
        .put("checks", ComplianceChecks.toJson(checks));
  }

  private static int bounded(Object value, int fallback, int min, int max, String field) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number number && number.doubleValue() == number.intValue()
        && number.intValue() >= min && number.intValue() <= max) {
      return number.intValue();
    }
    throw ApiException.validation("Invalid " + field, new JsonObject().put("field", field)
        .put("reason", "must be an integer from " + min + " to " + max));
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
