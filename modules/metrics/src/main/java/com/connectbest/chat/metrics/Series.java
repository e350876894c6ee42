package com.connectbest.chat.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Buckets the cluster's samples into evenly spaced points. */
final class Series {

  /** One bucket: its start and the value of its samples (null without any). */
  record Point(long start, Double value) {
    JsonObject toJson() {
      return new JsonObject().put("timestamp", Instant.ofEpochMilli(start).toString())
          .put("value", value == null ? null : Math.round(value * 100) / 100.0);
    }
  }

  private Series() {
  }

  /** {@code points} buckets covering the {@code periodMs} up to and including {@code now}, oldest first. */
  static List<Point> of(SampleBook book, MetricType type, long now, long periodMs, int points) {
    long width = Math.max(1, periodMs / points);
    long from = now + 1 - width * points;
    List<List<Sample>> buckets = new ArrayList<>(points);
    for (int i = 0; i < points; i++) {
      buckets.add(new ArrayList<>());
    }
    // One pass over the window's samples, not one per bucket: a day of samples and 500 points stay cheap.
    for (Sample sample : book.between(from, from + width * points)) {
      buckets.get((int) ((sample.at() - from) / width)).add(sample);
    }
    List<Point> series = new ArrayList<>(points);
    for (int i = 0; i < points; i++) {
      series.add(new Point(from + i * width, type.of(buckets.get(i))));
    }
    return series;
  }

  static JsonArray toJson(List<Point> series) {
    JsonArray array = new JsonArray();
    series.forEach(point -> array.add(point.toJson()));
    return array;
  }
}
