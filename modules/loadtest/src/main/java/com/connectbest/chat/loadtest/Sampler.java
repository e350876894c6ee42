package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Samples the metrics once a second into the timeline and prints a progress line. */
final class Sampler {

  private final Harness harness;
  private final double rampSeconds;
  private final double loadSeconds;
  private long startNanos;
  private long lastNanos;
  private long timer = -1;

  Sampler(Harness harness, double rampSeconds, double loadSeconds) {
    this.harness = harness;
    this.rampSeconds = rampSeconds;
    this.loadSeconds = loadSeconds;
  }

  void start(long startNanos) {
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
    harness.lanes.get(0).runOnContext(v -> timer = harness.vertx.setPeriodic(1000, id -> sample()));
  }

  /** Stops the ticks and takes the last, partial sample (on the sampling lane, to keep the recorders single-read). */
  void stop() {
    harness.lanes.on(0, () -> {
      harness.vertx.cancelTimer(timer);
      sample();
      harness.metrics.close();
      return io.vertx.core.Future.succeededFuture();
    }).await();
  }

  private void sample() {
    long now = System.nanoTime();
    double t = (now - startNanos) / 1e9;
    double interval = (now - lastNanos) / 1e9;
    lastNanos = now;
    // an interval counts only when it starts after the ramp-up (50 ms slack for timer jitter)
    boolean countLatency = t - interval >= rampSeconds - 0.05;
    boolean countThroughput = countLatency && t <= loadSeconds + 0.5;
    JsonObject point = harness.metrics.sample(t, interval, countLatency, countThroughput);
    if (!harness.options.flag("quiet")) {
      harness.say(progressLine(point, interval));
    }
  }

  static String progressLine(JsonObject point, double interval) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs] sent %5.0f/s ok %5.0f/s err %4d",
        point.getDouble("t"), point.getLong("attempted") / interval, point.getLong("succeeded") / interval,
        point.getLong("failed")));
    JsonObject latency = point.getJsonObject("latency");
    for (String name : latency.fieldNames()) {
      JsonObject stats = latency.getJsonObject(name);
      if (stats.getLong("count") > 0) {
        line.append(String.format(Locale.ROOT, " | %s p50 %.1f p99 %.1f max %.1f ms", name,
            stats.getDouble("p50_ms"), stats.getDouble("p99_ms"), stats.getDouble("max_ms")));
      }
    }
    if (point.getLong("delivered") > 0) {
      line.append(" | delivered ").append(point.getLong("delivered"));
    }
    line.append(" | sockets ").append(point.getInteger("open_sockets"));
    line.append(" | in flight ").append(point.getInteger("in_flight"));
    return line.toString();
  }
}
