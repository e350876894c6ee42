package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Meters;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node's log and response-time figures, totals since the node started (never deltas, so that the newest
 * snapshot of a node replaces the one before it and a lost snapshot costs nothing but one interval's freshness).
 */
record LogSnapshot(String nodeId, long at, long errors, long warnings, List<ErrorKind> kinds,
                   List<OperationTime> operations) {

  /** Kinds of error sent per node (the most frequent); a node keeps up to {@link LogCounters#MAX_KINDS}. */
  static final int KINDS_SENT = 50;

  record ErrorKind(String error, long count, String firstSeen) {
  }

  record OperationTime(String operation, long count, double totalMs, double maxMs) {
  }

  /** This process's figures now. */
  static LogSnapshot of(String nodeId, long at, LogCounters logs) {
    List<OperationTime> operations = Meters.registry().find(Meters.HTTP_OPERATIONS).timers().stream()
        .filter(timer -> timer.count() > 0)
        .map((Timer timer) -> new OperationTime(timer.getId().getTag("operation"), timer.count(),
            timer.totalTime(TimeUnit.MILLISECONDS), timer.max(TimeUnit.MILLISECONDS)))
        .toList();
    List<ErrorKind> kinds = logs.topErrors(KINDS_SENT).stream().map(JsonObject.class::cast)
        .map(kind -> new ErrorKind(kind.getString("error"), kind.getLong("count"), kind.getString("firstSeen")))
        .toList();
    return new LogSnapshot(nodeId, at, logs.errors(), logs.warnings(), kinds, operations);
  }

  JsonObject toJson() {
    JsonArray kindsJson = new JsonArray();
    kinds.forEach(kind -> kindsJson.add(new JsonObject().put("error", kind.error()).put("count", kind.count())
        .put("first_seen", kind.firstSeen())));
    JsonArray operationsJson = new JsonArray();
    operations.forEach(operation -> operationsJson.add(new JsonObject().put("operation", operation.operation())
        .put("count", operation.count()).put("total_ms", operation.totalMs()).put("max_ms", operation.maxMs())));
    return new JsonObject().put("node_id", nodeId).put("at", at).put("errors", errors).put("warnings", warnings)
        .put("top_errors", kindsJson).put("operations", operationsJson);
  }

  static LogSnapshot fromJson(JsonObject json) {
    List<ErrorKind> kinds = json.getJsonArray("top_errors", new JsonArray()).stream().map(JsonObject.class::cast)
        .map(kind -> new ErrorKind(kind.getString("error"), kind.getLong("count", 0L), kind.getString("first_seen")))
        .toList();
    List<OperationTime> operations = json.getJsonArray("operations", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(operation -> new OperationTime(operation.getString("operation"), operation.getLong("count", 0L),
            operation.getDouble("total_ms", 0.0), operation.getDouble("max_ms", 0.0)))
        .toList();
    return new LogSnapshot(json.getString("node_id"), json.getLong("at", 0L), json.getLong("errors", 0L),
        json.getLong("warnings", 0L), kinds, operations);
  }
}
