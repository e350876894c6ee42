package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;

/**
 * Reads the fan-out gauges from each target's {@code /metrics} (Prometheus text): {@code chat_cluster_subscriptions}
 * (Hazelcast's subscription entries, cluster wide; only on clustered nodes) and {@code chat_sockjs_sessions} (the
 * node's open bridge sockets). {@code --metrics-token} is sent when the nodes set METRICS_TOKEN.
 */
final class ClusterGauges {

  private ClusterGauges() {
  }

  static JsonObject read(Harness harness) {
    String token = harness.options.string("metrics-token", null);
    JsonObject byTarget = new JsonObject();
    for (ChatApi api : harness.apis) {
      JsonObject gauges = new JsonObject();
      try {
        String scrape = api.get("/metrics", token).await().bodyAsString();
        scrape.lines().forEach(line -> {
          for (String name : new String[] {"chat_cluster_subscriptions", "chat_sockjs_sessions"}) {
            if (line.startsWith(name + " ")) {
              gauges.put(name, (long) Double.parseDouble(line.substring(name.length() + 1).trim()));
            }
          }
        });
      } catch (RuntimeException e) {
        gauges.put("error", e.toString());
      }
      byTarget.put(api.target().toString(), gauges);
    }
    return byTarget;
  }
}
