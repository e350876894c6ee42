package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Service-level objectives checked against a run's results, written like {@code p99=50ms,loss=0,errors=0.025%}.
 * <ul>
 *   <li>{@code p50 p90 p99 p999 max avg} (optionally prefixed by a latency name: {@code http.p99}, {@code fanout.p99};
 *   without one they apply to the mode's main latency) are upper bounds given as durations;</li>
 *   <li>{@code errors}, {@code loss}, {@code duplicates} are upper bounds, counts or percentages;</li>
 *   <li>{@code throughput} is a lower bound on successful requests per second.</li>
 * </ul>
 */
record Slo(List<Criterion> criteria) {

  private static final Set<String> LATENCY_STATS = Set.of("p50", "p90", "p99", "p999", "max", "avg");
  private static final Set<String> COUNTED = Set.of("errors", "loss", "duplicates");

  record Criterion(String latencyName, String key, double limit, boolean percent) {

    String describe() {
      String name = latencyName == null ? key : latencyName + "." + key;
      if (LATENCY_STATS.contains(key)) {
        return name + " <= " + format(limit) + "ms";
      }
      if (key.equals("throughput")) {
        return name + " >= " + format(limit) + "/s";
      }
      return name + " <= " + format(limit) + (percent ? "%" : "");
    }
  }

  /** One criterion's verdict. */
  record Check(Criterion criterion, double actual, boolean passed, String message) {
  }

  static Slo parse(String spec) {
    List<Criterion> criteria = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return new Slo(criteria);
    }
    for (String part : spec.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length != 2 || pair[1].isBlank()) {
        throw new IllegalArgumentException("SLO '" + part.trim() + "' is not key=value");
      }
      criteria.add(criterion(pair[0].trim().toLowerCase(Locale.ROOT), pair[1].trim()));
    }
    return new Slo(criteria);
  }

  private static Criterion criterion(String name, String value) {
    int dot = name.lastIndexOf('.');
    String latencyName = dot < 0 ? null : name.substring(0, dot);
    String key = dot < 0 ? name : name.substring(dot + 1);
    if (key.equals("mean")) {
      key = "avg";
    }
    if (key.equals("dup")) {
      key = "duplicates";
    }
    if (LATENCY_STATS.contains(key)) {
      return new Criterion(latencyName, key, Durations.parse(value).toNanos() / 1e6, false);
    }
    if (latencyName != null) {
      throw new IllegalArgumentException("SLO '" + name + "': only latency figures take a prefix");
    }
    if (COUNTED.contains(key)) {
      boolean percent = value.endsWith("%");
      return new Criterion(null, key, number(percent ? value.substring(0, value.length() - 1) : value, name), percent);
    }
    if (key.equals("throughput")) {
      return new Criterion(null, key, number(value.replace("/s", ""), name), false);
    }
    throw new IllegalArgumentException("SLO '" + name + "' is unknown; use p50 p90 p99 p999 max avg errors loss "
        + "duplicates throughput");
  }

  private static double number(String text, String name) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SLO '" + name + "': '" + text + "' is not a number");
    }
  }

  List<Check> evaluate(JsonObject results) {
    List<Check> checks = new ArrayList<>();
    for (Criterion criterion : criteria) {
      checks.add(check(criterion, results));
    }
    return checks;
  }

  static JsonArray toJson(List<Check> checks) {
    JsonArray array = new JsonArray();
    checks.forEach(check -> array.add(new JsonObject().put("objective", check.criterion().describe())
        .put("actual", check.actual()).put("passed", check.passed()).put("message", check.message())));
    return array;
  }

  private static Check check(Criterion criterion, JsonObject results) {
    String key = criterion.key();
    if (LATENCY_STATS.contains(key)) {
      String name = criterion.latencyName() != null ? criterion.latencyName() : results.getString("primary_latency");
      JsonObject latency = results.getJsonObject("latency", new JsonObject()).getJsonObject(name);
      if (latency == null || latency.getLong("count", 0L) == 0) {
        return new Check(criterion, Double.NaN, false, criterion.describe() + ": no '" + name + "' samples");
      }
      double actual = latency.getDouble(key.equals("avg") ? "mean_ms" : key + "_ms");
      return verdict(criterion, actual, actual <= criterion.limit(), format(actual) + "ms");
    }
    if (key.equals("throughput")) {
      double actual = results.getJsonObject("counts").getDouble("throughput_per_second", 0.0);
      return verdict(criterion, actual, actual >= criterion.limit(), format(actual) + "/s");
    }
    double count;
    double rate;
    if (key.equals("errors")) {
      JsonObject counts = results.getJsonObject("counts");
      count = counts.getLong("failed", 0L);
      rate = counts.getDouble("error_rate", 0.0);
    } else {
      JsonObject delivery = results.getJsonObject("delivery", new JsonObject());
      count = delivery.getLong(key.equals("loss") ? "lost" : "duplicates", 0L);
      long expected = delivery.getLong("expected", 0L);
      rate = expected == 0 ? 0 : count / expected;
    }
    double actual = criterion.percent() ? rate * 100 : count;
    String shown = criterion.percent() ? format(actual) + "% (" + (long) count + ")" : String.valueOf((long) count);
    return verdict(criterion, actual, actual <= criterion.limit(), shown);
  }

  private static Check verdict(Criterion criterion, double actual, boolean passed, String shown) {
    String message = criterion.describe() + ": " + (passed ? "met" : "MISSED") + ", actual " + shown;
    return new Check(criterion, actual, passed, message);
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
  }
}
