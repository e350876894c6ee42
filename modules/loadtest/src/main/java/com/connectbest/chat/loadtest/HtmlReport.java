package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A self-contained HTML report (inline SVG, no scripts, no network) made from the results document alone. */
final class HtmlReport {

  private HtmlReport() {
  }

  static String render(JsonObject results) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>ConnectBest load test: ").append(SvgChart.escape(results.getString("mode")))
        .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1000px}")
        .append("pre{background:#f6f6f6;padding:1em;overflow:auto}h2{margin-top:1.5em}")
        .append(".met{color:#2a7}.missed{color:#c22;font-weight:bold}</style></head><body>")
        .append("<h1>ConnectBest load test: ").append(SvgChart.escape(results.getString("mode"))).append("</h1>")
        .append("<p>Started ").append(SvgChart.escape(results.getString("started_at"))).append("</p>");
    JsonObject slo = results.getJsonObject("slo");
    if (slo != null && !slo.getJsonArray("checks").isEmpty()) {
      html.append("<h2>Objectives: <span class=\"").append(slo.getBoolean("passed") ? "met\">met" : "missed\">MISSED")
          .append("</span></h2><ul>");
      slo.getJsonArray("checks").forEach(check -> html.append("<li>")
          .append(SvgChart.escape(((JsonObject) check).getString("message"))).append("</li>"));
      html.append("</ul>");
    }
    html.append("<h2>Summary</h2><pre>").append(SvgChart.escape(SummaryTable.render(results).strip()))
        .append("</pre>");
    JsonArray timeline = results.getJsonArray("timeline", new JsonArray());
    html.append("<h2>Latency over time</h2>").append(latencyOverTime(timeline).render());
    html.append("<h2>Latency percentile distribution (after the ramp-up)</h2>")
        .append(distribution(results.getJsonObject("distribution", new JsonObject())).render());
    html.append("<h2>Requests per second</h2>")
        .append(rates(timeline, List.of("attempted", "succeeded", "failed")).render());
    SvgChart deliveries = rates(timeline, List.of("delivered"));
    if (!deliveries.isEmpty()) {
      html.append("<h2>Live events delivered per second</h2>").append(deliveries.render());
    }
    SvgChart sockets = series(timeline, "open_sockets", "open sockets", "sockets");
    if (!sockets.isEmpty()) {
      html.append("<h2>Open sockets</h2>").append(sockets.render());
    }
    html.append("<h2>Options</h2><pre>").append(SvgChart.escape(results.getJsonObject("options").encodePrettily()))
        .append("</pre>");
    JsonObject setup = results.getJsonObject("setup");
    if (setup != null) {
      html.append("<h2>Setup</h2><pre>").append(SvgChart.escape(setup.encodePrettily())).append("</pre>");
    }
    return html.append("</body></html>\n").toString();
  }

  private static SvgChart latencyOverTime(JsonArray timeline) {
    SvgChart chart = new SvgChart("seconds since start", "ms");
    List<String> names = new ArrayList<>();
    if (!timeline.isEmpty()) {
      // the two main latencies and the node split; per-action lines of the team mode would be unreadable here
      List<String> all = new ArrayList<>(timeline.getJsonObject(0).getJsonObject("latency").fieldNames());
      for (int i = 0; i < all.size(); i++) {
        if (i < 2 || all.get(i).startsWith("fanout_")) {
          names.add(all.get(i));
        }
      }
    }
    for (String name : names) {
      for (String percentile : List.of("p50", "p99")) {
        List<double[]> points = new ArrayList<>();
        for (Object item : timeline) {
          JsonObject point = (JsonObject) item;
          JsonObject stats = point.getJsonObject("latency").getJsonObject(name);
          if (stats != null && stats.getLong("count", 0L) > 0) {
            points.add(new double[] {point.getDouble("t"), stats.getDouble(percentile + "_ms")});
          }
        }
        chart.add(new SvgChart.Series(name + " " + percentile, points, percentile.equals("p50")));
      }
    }
    return chart;
  }

  private static SvgChart distribution(JsonObject distribution) {
    SvgChart chart = new SvgChart("percentile", "ms").xTicks(List.of(new SvgChart.Tick(0, "0%"),
        new SvgChart.Tick(1, "90%"), new SvgChart.Tick(2, "99%"), new SvgChart.Tick(3, "99.9%"),
        new SvgChart.Tick(4, "99.99%"), new SvgChart.Tick(5, "99.999%")));
    for (String name : distribution.fieldNames()) {
      List<double[]> points = new ArrayList<>();
      for (Object item : distribution.getJsonArray(name)) {
        JsonArray pair = (JsonArray) item;
        points.add(new double[] {nines(pair.getDouble(0)), pair.getDouble(1)});
      }
      chart.add(new SvgChart.Series(name, points, false));
    }
    return chart;
  }

  /** Percentile on a "number of nines" scale: 90% is 1, 99% is 2, ...; 100% is drawn just past 99.999%. */
  static double nines(double percentile) {
    return percentile >= 100 ? 5.3 : Math.min(5.3, -Math.log10(1 - percentile / 100));
  }

  private static SvgChart rates(JsonArray timeline, List<String> keys) {
    SvgChart chart = new SvgChart("seconds since start", "per second");
    for (String key : keys) {
      List<double[]> points = new ArrayList<>();
      double previous = 0;
      for (Object item : timeline) {
        JsonObject point = (JsonObject) item;
        double t = point.getDouble("t");
        double interval = Math.max(0.001, t - previous);
        previous = t;
        points.add(new double[] {t, point.getLong(key) / interval});
      }
      if (points.stream().anyMatch(p -> p[1] > 0)) {
        chart.add(new SvgChart.Series(key, points, false));
      }
    }
    return chart;
  }

  private static SvgChart series(JsonArray timeline, String key, String name, String yLabel) {
    SvgChart chart = new SvgChart("seconds since start", yLabel);
    List<double[]> points = new ArrayList<>();
    for (Object item : timeline) {
      JsonObject point = (JsonObject) item;
      points.add(new double[] {point.getDouble("t"), point.getInteger(key)});
    }
    if (points.stream().anyMatch(p -> p[1] > 0)) {
      chart.add(new SvgChart.Series(name, points, false));
    }
    return chart;
  }
}
