package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency measured during a run, in microseconds. Any thread may record; one thread (the sampler) takes the
 * per-second interval and folds it into the run's total, which leaves out the ramp-up when asked.
 */
final class LatencyStats {

  static final double[] DISTRIBUTION_PERCENTILES =
      {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};

  private final String name;
  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private Histogram interval;

  LatencyStats(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  void recordNanos(long nanos) {
    recorder.recordValue(Math.max(1, nanos / 1000));
  }

  /** The samples since the previous call; added to the total when {@code counted}. */
  Histogram sampleInterval(boolean counted) {
    interval = recorder.getIntervalHistogram(interval);
    if (counted) {
      total.add(interval);
    }
    return interval;
  }

  Histogram total() {
    return total;
  }

  static JsonObject summary(Histogram histogram) {
    JsonObject json = new JsonObject().put("count", histogram.getTotalCount());
    if (histogram.getTotalCount() == 0) {
      return json;
    }
    return json.put("min_ms", ms(histogram.getMinValue()))
        .put("mean_ms", round(histogram.getMean() / 1000))
        .put("p50_ms", ms(histogram.getValueAtPercentile(50)))
        .put("p90_ms", ms(histogram.getValueAtPercentile(90)))
        .put("p99_ms", ms(histogram.getValueAtPercentile(99)))
        .put("p999_ms", ms(histogram.getValueAtPercentile(99.9)))
        .put("max_ms", ms(histogram.getMaxValue()));
  }

  /** Pairs [percentile, ms] for a percentile-distribution chart. */
  static JsonArray distribution(Histogram histogram) {
    JsonArray points = new JsonArray();
    if (histogram.getTotalCount() == 0) {
      return points;
    }
    for (double percentile : DISTRIBUTION_PERCENTILES) {
      long value = percentile == 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
      points.add(new JsonArray().add(percentile).add(ms(value)));
    }
    return points;
  }

  static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
