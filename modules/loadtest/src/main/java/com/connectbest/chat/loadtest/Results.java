package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The results document every mode writes ({@code --out}); the summary table, SLOs and HTML read it. */
final class Results {

  private Results() {
  }

  static JsonObject build(Harness harness, String mode, Instant startedAt, double rampSeconds, double loadSeconds) {
    RunMetrics metrics = harness.metrics;
    JsonObject latency = new JsonObject();
    JsonObject distribution = new JsonObject();
    metrics.latencies().forEach((name, stats) -> {
      latency.put(name, LatencyStats.summary(stats.total()));
      distribution.put(name, LatencyStats.distribution(stats.total()));
    });
    long attempted = metrics.attempted.sum();
    long failed = metrics.failed();
    JsonObject errors = new JsonObject();
    metrics.errorsByKind().forEach(errors::put);
    JsonArray targets = new JsonArray();
    harness.apis.forEach(api -> targets.add(api.target().toString()));
    return new JsonObject()
        .put("tool", "connectbest-loadtest")
        .put("mode", mode)
        .put("started_at", startedAt.toString())
        .put("targets", targets)
        .put("options", harness.options.toJson())
        .put("primary_latency", metrics.latencies().keySet().stream().findFirst().orElse("http"))
        .put("ramp_up_seconds", rampSeconds)
        .put("load_seconds", loadSeconds)
        .put("measured_seconds", round(metrics.countedSeconds()))
        .put("counts", new JsonObject()
            .put("attempted", attempted)
            .put("succeeded", metrics.succeeded.sum())
            .put("failed", failed)
            .put("error_rate", attempted == 0 ? 0.0 : (double) failed / attempted)
            .put("errors", errors)
            .put("throughput_per_second", round(metrics.throughput())))
        .put("sockets", new JsonObject()
            .put("opened", metrics.socketsOpened.sum())
            .put("failed", metrics.socketsFailed.sum())
            .put("closed", metrics.socketsClosed.sum())
            .put("open_at_end", metrics.openSockets.get())
            .put("registrations_rejected", metrics.registrationsRejected.sum()))
        .put("latency", latency)
        .put("distribution", distribution)
        .put("timeline", new JsonArray(metrics.timeline().stream().map(Object.class::cast).toList()));
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
