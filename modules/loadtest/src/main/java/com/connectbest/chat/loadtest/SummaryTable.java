package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The plain-text summary printed at the end of a run, read from the results document. */
final class SummaryTable {

  private SummaryTable() {
  }

  static String render(JsonObject results) {
    StringBuilder text = new StringBuilder();
    JsonObject counts = results.getJsonObject("counts");
    text.append(String.format(Locale.ROOT, "%n== %s: %s over %.0f s (%.0f s measured after a %.0f s ramp-up) ==%n",
        results.getString("mode"), String.join(", ", results.getJsonArray("targets").getList()),
        results.getDouble("load_seconds"), results.getDouble("measured_seconds"),
        results.getDouble("ramp_up_seconds")));
    text.append(String.format(Locale.ROOT,
        "requests  attempted %d, succeeded %d, failed %d (%.4f%%), throughput %.1f/s%n",
        counts.getLong("attempted"), counts.getLong("succeeded"), counts.getLong("failed"),
        counts.getDouble("error_rate") * 100, counts.getDouble("throughput_per_second")));
    JsonObject errors = counts.getJsonObject("errors");
    if (!errors.isEmpty()) {
      text.append("errors    ");
      errors.forEach(entry -> text.append(entry.getKey()).append(": ").append(entry.getValue()).append("  "));
      text.append(System.lineSeparator());
    }
    JsonObject sockets = results.getJsonObject("sockets");
    if (sockets.getLong("opened") + sockets.getLong("failed") > 0) {
      text.append(String.format(Locale.ROOT, "sockets   opened %d, failed %d, closed %d, open at end %d, "
              + "registrations rejected %d%n", sockets.getLong("opened"), sockets.getLong("failed"),
          sockets.getLong("closed"), sockets.getLong("open_at_end"), sockets.getLong("registrations_rejected")));
    }
    JsonObject delivery = results.getJsonObject("delivery");
    if (delivery != null) {
      text.append(String.format(Locale.ROOT, "delivery  expected %d, delivered %d, lost %d (%.4f%%), duplicates %d, "
              + "sends retried %d (replayed %d)%n",
          delivery.getLong("expected"), delivery.getLong("delivered"), delivery.getLong("lost"),
          delivery.getDouble("loss_rate") * 100, delivery.getLong("duplicates"),
          delivery.getLong("sends_retried", 0L), delivery.getLong("sends_replayed", 0L)));
    }
    JsonObject heap = results.getJsonObject("server_heap");
    if (heap != null) {
      text.append("server    heap ").append(heap.encode()).append(System.lineSeparator());
    }
    text.append(String.format(Locale.ROOT, "%-18s %9s %9s %9s %9s %9s %9s %9s%n",
        "latency ms", "count", "mean", "p50", "p90", "p99", "p99.9", "max"));
    JsonObject latency = results.getJsonObject("latency");
    for (String name : latency.fieldNames()) {
      JsonObject stats = latency.getJsonObject(name);
      if (stats.getLong("count") == 0) {
        continue;
      }
      text.append(String.format(Locale.ROOT, "%-18s %9d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", name,
          stats.getLong("count"), stats.getDouble("mean_ms"), stats.getDouble("p50_ms"), stats.getDouble("p90_ms"),
          stats.getDouble("p99_ms"), stats.getDouble("p999_ms"), stats.getDouble("max_ms")));
    }
    JsonObject slo = results.getJsonObject("slo");
    if (slo != null && !slo.getJsonArray("checks").isEmpty()) {
      text.append("SLO       ").append(slo.getBoolean("passed") ? "met" : "MISSED").append(System.lineSeparator());
      slo.getJsonArray("checks").forEach(check ->
          text.append("  ").append(((JsonObject) check).getString("message")).append(System.lineSeparator()));
    }
    return text.toString();
  }
}
