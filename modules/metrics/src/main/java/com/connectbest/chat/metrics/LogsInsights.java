package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.ServiceClient;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code getLogsInsights}, the ops page's log panel, from real figures only: warnings and errors counted as this
 * process logs them ({@link LogCounters}), the slowest contract operations from the per-operation response timers
 * the gateway records in this process ({@link Meters#HTTP_OPERATIONS}), and activity from the store (messages
 * service's {@code messageStats}, auth's {@code countUsers}). Log and timer figures are this node's since it started;
 * in a cluster each node answers for itself (the store figures are the cluster's).
 */
final class LogsInsights {

  static final int TOP = 5;
  /** Average response times from which an operation is reported as a medium or high concern. */
  static final double MEDIUM_MS = 300;
  static final double HIGH_MS = 1000;

  private final LogCounters logs;
  private final ServiceClient services;
  private final Supplier<Instant> clock;

  LogsInsights(LogCounters logs, ServiceClient services, Supplier<Instant> clock) {
    this.logs = logs;
    this.services = services;
    this.clock = clock;
  }

  Future<JsonObject> report() {
    Instant hourAgo = clock.get().minus(Duration.ofHours(1));
    Future<JsonObject> messages = services.call(Addresses.MESSAGES, InternalActions.MESSAGE_STATS, new JsonObject());
    Future<JsonObject> users = services.call(Addresses.AUTH, InternalActions.COUNT_USERS,
        new JsonObject().put("since", hourAgo.toString()));
    JsonArray slowest = slowestEndpoints();
    return Future.all(messages, users).map(all -> new JsonObject()
        .put("errorCount", logs.errors())
        .put("warningCount", logs.warnings())
        .put("topErrors", logs.topErrors(TOP))
        .put("slowestEndpoints", slowest)
        .put("performanceInsights", insights(slowest))
        .put("userActivity", new JsonObject()
            .put("activeUsers", messages.result().getLong("active_senders_last_hour", 0L))
            .put("peakHour", messages.result().getString("peak_hour", "N/A") == null ? "N/A"
                : messages.result().getString("peak_hour"))
            .put("messagesSentLastHour", messages.result().getLong("last_hour", 0L))
            .put("newRegistrations", users.result().getLong("count", 0L))));
  }

  /** {@code [{endpoint, requests, average_ms, max_ms}]}: the operations with the highest average response time. */
  static JsonArray slowestEndpoints() {
    List<Timer> timers = Meters.registry().find(Meters.HTTP_OPERATIONS).timers().stream()
        .filter(timer -> timer.count() > 0)
        .sorted(Comparator.comparingDouble((Timer timer) -> timer.mean(TimeUnit.MILLISECONDS)).reversed())
        .limit(TOP)
        .toList();
    JsonArray slowest = new JsonArray();
    timers.forEach(timer -> slowest.add(new JsonObject()
        .put("endpoint", timer.getId().getTag("operation"))
        .put("requests", timer.count())
        .put("average_ms", round(timer.mean(TimeUnit.MILLISECONDS)))
        .put("max_ms", round(timer.max(TimeUnit.MILLISECONDS)))));
    return slowest;
  }

  /** One insight per slow operation: {@code [{insight, severity, recommendation}]}. */
  static JsonArray insights(JsonArray slowest) {
    JsonArray insights = new JsonArray();
    slowest.stream().map(JsonObject.class::cast).forEach(endpoint -> {
      double average = endpoint.getDouble("average_ms");
      String severity = average >= HIGH_MS ? "high" : average >= MEDIUM_MS ? "medium" : "low";
      insights.add(new JsonObject()
          .put("insight", endpoint.getString("endpoint") + " averages " + average + " ms over "
              + endpoint.getLong("requests") + " requests (slowest " + endpoint.getDouble("max_ms") + " ms recently)")
          .put("severity", severity)
          .put("recommendation", "low".equals(severity) ? "No action needed"
              : "Check the store's indexes and the service's load for this operation (docs/performance.md)"));
    });
    return insights;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
