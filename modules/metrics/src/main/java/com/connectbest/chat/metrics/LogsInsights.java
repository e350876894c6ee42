package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code getLogsInsights}, the ops page's log panel, from real figures only, for the whole cluster: warnings and
 * errors counted as each node logs them ({@link LogCounters}), the slowest contract operations from the
 * per-operation response timers each node's gateway records ({@link Meters#HTTP_OPERATIONS}), and activity from
 * the store (messages service's {@code messageStats}, auth's {@code countUsers}). This node's figures are read now;
 * the other nodes' come from the newest {@link LogSnapshot} each published (see {@link LogBook} for how a lost
 * snapshot or a paused or dead node is handled).
 */
final class LogsInsights {

  static final int TOP = 5;
  /** Average response times from which an operation is reported as a medium or high concern. */
  static final double MEDIUM_MS = 300;
  static final double HIGH_MS = 1000;

  private final String nodeId;
  private final LogCounters logs;
  private final LogBook book;
  private final ServiceClient services;
  private final Supplier<Instant> clock;

  LogsInsights(String nodeId, LogCounters logs, LogBook book, ServiceClient services, Supplier<Instant> clock) {
    this.nodeId = nodeId;
    this.logs = logs;
    this.book = book;
    this.services = services;
    this.clock = clock;
  }

  /** This node's figures now, as published to the other nodes. */
  LogSnapshot snapshot() {
    return LogSnapshot.of(nodeId, clock.get().toEpochMilli(), logs);
  }

  Future<JsonObject> report() {
    Instant now = clock.get();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Future<JsonObject> messages = services.call(Addresses.MESSAGES, InternalActions.MESSAGE_STATS, new JsonObject());
    Future<JsonObject> users = services.call(Addresses.AUTH, InternalActions.COUNT_USERS,
        new JsonObject().put("since", hourAgo.toString()));
    LogSnapshot cluster = LogBook.sum(book.live(snapshot(), now.toEpochMilli()), now.toEpochMilli());
    JsonArray slowest = slowestEndpoints(cluster);
    JsonArray topErrors = new JsonArray();
    cluster.kinds().stream().limit(TOP).forEach(kind -> topErrors.add(new JsonObject().put("error", kind.error())
        .put("count", kind.count()).put("firstSeen", kind.firstSeen())));
    return Future.all(messages, users).map(all -> new JsonObject()
        .put("errorCount", cluster.errors())
        .put("warningCount", cluster.warnings())
        .put("topErrors", topErrors)
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
  static JsonArray slowestEndpoints(LogSnapshot cluster) {
    JsonArray slowest = new JsonArray();
    cluster.operations().stream().limit(TOP).forEach(operation -> slowest.add(new JsonObject()
        .put("endpoint", operation.operation())
        .put("requests", operation.count())
        .put("average_ms", round(operation.totalMs() / operation.count()))
        .put("max_ms", round(operation.maxMs()))));
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
