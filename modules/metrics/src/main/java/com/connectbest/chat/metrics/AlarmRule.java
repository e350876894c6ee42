package com.connectbest.chat.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A threshold alarm from {@code ALARM_RULES}: {@code {name, metric, comparison: ">"|"<", threshold, minutes}}. It is
 * in ALARM when every sampling interval of the last {@code minutes} breaches, INSUFFICIENT_DATA until samples cover
 * that whole window (or when the metric had no data), OK otherwise.
 */
record AlarmRule(String name, MetricType metric, boolean above, double threshold, int minutes) {

  /** Used when ALARM_RULES is not set; conf/config.json spells out the same rules. */
  static final JsonArray DEFAULTS = new JsonArray()
      .add(rule("chat-HighCPU", "cpu", 80))
      .add(rule("chat-HighMemory", "memory", 90))
      .add(rule("chat-HighLatency", "latency", 500))
      .add(rule("chat-HighErrorRate", "errors", 5));

  private static JsonObject rule(String name, String metric, double threshold) {
    return new JsonObject().put("name", name).put("metric", metric).put("comparison", ">").put("threshold", threshold)
        .put("minutes", 5);
  }

  static List<AlarmRule> parse(Object rules) {
    JsonArray array = rules instanceof JsonArray configured ? configured : DEFAULTS;
    return array.stream().map(JsonObject.class::cast).map(rule -> new AlarmRule(
        rule.getString("name"),
        MetricType.parse(rule.getString("metric", "").toLowerCase(Locale.ROOT)),
        !"<".equals(rule.getString("comparison", ">")),
        rule.getDouble("threshold"),
        rule.getInteger("minutes", 5))).toList();
  }

  JsonObject evaluate(SampleBook book, long now) {
    long window = minutes * 60_000L;
    long interval = book.intervalMs();
    int buckets = (int) Math.max(1, window / interval);
    List<Series.Point> points = Series.of(book, metric, now, window, buckets);
    long oldest = book.oldest();
    boolean covered = oldest >= 0 && oldest <= now - window + interval;
    List<Double> values = points.stream().map(Series.Point::value).filter(v -> v != null).toList();
    String comparison = (above ? "> " : "< ") + threshold;
    JsonObject state = new JsonObject().put("name", name).put("timestamp", Instant.ofEpochMilli(now).toString())
        .put("threshold", threshold).put("metric", metric.id());
    if (!covered || values.isEmpty()) {
      return state.put("state", "INSUFFICIENT_DATA").put("reason", "Samples do not yet cover the last " + minutes
          + " minute(s) of " + metric.id());
    }
    double latest = values.get(values.size() - 1);
    boolean breaching = values.size() == points.size() && values.stream().allMatch(this::breaches);
    return breaching
        ? state.put("state", "ALARM").put("reason", String.format(Locale.ROOT,
            "%s %s for %d minute(s); latest %.2f", metric.id(), comparison, minutes, latest))
        : state.put("state", "OK").put("reason", String.format(Locale.ROOT,
            "Threshold not exceeded for the whole window (%s %s); latest %.2f", metric.id(), comparison, latest));
  }

  private boolean breaches(double value) {
    return above ? value > threshold : value < threshold;
  }
}
