package com.connectbest.chat.metrics;

import io.vertx.core.json.JsonObject;

/**
 * One node's figures over one sampling interval: gauges as read at {@code at}, and what happened since the previous
 * sample (requests, server errors, their summed latency). Security counters are the node's totals since it started.
 */
record Sample(String nodeId, long at, double cpu, double memory, int connections, long requests, long errors,
              double latencyMs, long authFailures, long blocked, long rateLimited, long bridgeDenied) {

  JsonObject toJson() {
    return new JsonObject().put("node_id", nodeId).put("at", at).put("cpu", cpu).put("memory", memory)
        .put("connections", connections).put("requests", requests).put("errors", errors).put("latency_ms", latencyMs)
        .put("auth_failures", authFailures).put("blocked", blocked).put("rate_limited", rateLimited)
        .put("bridge_denied", bridgeDenied);
  }

  static Sample fromJson(JsonObject json) {
    return new Sample(json.getString("node_id"), json.getLong("at", 0L), json.getDouble("cpu", 0.0),
        json.getDouble("memory", 0.0), json.getInteger("connections", 0), json.getLong("requests", 0L),
        json.getLong("errors", 0L), json.getDouble("latency_ms", 0.0), json.getLong("auth_failures", 0L),
        json.getLong("blocked", 0L), json.getLong("rate_limited", 0L), json.getLong("bridge_denied", 0L));
  }
}
