package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code growth} mode's verdict and output: each operation's ratio to the first stage (p50 latency, and cost as
 * first-stage throughput over this stage's), the {@code --max-growth} check, the summary table, JSON and HTML.
 */
final class GrowthReport {

  private GrowthReport() {
  }

  static int finish(JsonObject results, Options options, PrintStream out) throws IOException {
    double maxGrowth = options.decimal("max-growth",
        results.getJsonObject("growth", new JsonObject()).getDouble("max_growth", 0.0));
    List<String> missed = evaluate(results, maxGrowth);
    out.print(render(results));
    write(options.string("out", null), results.encodePrettily(), out);
    write(options.string("html", null), html(results), out);
    if (!missed.isEmpty()) {
      missed.forEach(message -> out.println("growth objective missed: " + message));
      return LoadTest.SLO_MISSED;
    }
    return LoadTest.OK;
  }

  /** Puts each stage's ratios into the results and returns what exceeds {@code maxGrowth} (0: nothing is checked). */
  static List<String> evaluate(JsonObject results, double maxGrowth) {
    List<String> missed = new ArrayList<>();
    JsonArray stages = results.getJsonArray("stages");
    if (stages.isEmpty()) {
      missed.add("no stage was measured");
    }
    JsonObject first = stages.isEmpty() ? new JsonObject() : stages.getJsonObject(0).getJsonObject("ops");
    for (int i = 0; i < stages.size(); i++) {
      JsonObject stage = stages.getJsonObject(i);
      JsonObject ops = stage.getJsonObject("ops");
      for (String name : ops.fieldNames()) {
        JsonObject op = ops.getJsonObject(name);
        JsonObject base = first.getJsonObject(name);
        if (op.getLong("succeeded") == 0) {
          missed.add(String.format(Locale.ROOT, "%s at %,d messages: no successful request %s", name,
              stage.getLong("stored_messages"), op.getJsonObject("errors").encode()));
          continue;
        }
        if (base == null || base.getLong("succeeded") == 0) {
          continue;
        }
        double p50Ratio = ratio(op.getJsonObject("latency").getDouble("p50_ms"),
            base.getJsonObject("latency").getDouble("p50_ms"));
        double costRatio = ratio(base.getDouble("throughput_per_second"), op.getDouble("throughput_per_second"));
        op.put("p50_ratio", p50Ratio).put("cost_ratio", costRatio);
        if (maxGrowth > 0 && i > 0) {
          if (p50Ratio > maxGrowth) {
            missed.add(String.format(Locale.ROOT, "%s at %,d messages: p50 %.2f ms is %.2fx the first stage's "
                    + "(max %.2fx)", name, stage.getLong("stored_messages"),
                op.getJsonObject("latency").getDouble("p50_ms"), p50Ratio, maxGrowth));
          }
          if (costRatio > maxGrowth) {
            missed.add(String.format(Locale.ROOT, "%s at %,d messages: throughput %.1f/s is 1/%.2f of the first "
                    + "stage's (max %.2fx)", name, stage.getLong("stored_messages"),
                op.getDouble("throughput_per_second"), costRatio, maxGrowth));
          }
        }
      }
    }
    JsonArray messages = new JsonArray();
    missed.forEach(messages::add);
    results.put("growth", new JsonObject().put("max_growth", maxGrowth).put("passed", missed.isEmpty())
        .put("missed", messages));
    return missed;
  }

  private static double ratio(double value, double base) {
    return base <= 0 ? 0 : Math.round(value / base * 100) / 100.0;
  }

  static String render(JsonObject results) {
    StringBuilder text = new StringBuilder();
    JsonObject setup = results.getJsonObject("setup");
    text.append(String.format(Locale.ROOT, "%n== growth: %s; %d in flight, %.0f s warm-up, %.0f s per operation ==%n",
        String.join(", ", results.getJsonArray("targets").getList()), setup.getInteger("concurrency"),
        setup.getDouble("warm_up_seconds"), setup.getDouble("duration_seconds")));
    text.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %10s %10s  %s%n", "stage", "messages",
        "memberships", "fill msg/s", "joins/s", "fill s", "load average (before / after)"));
    JsonArray stages = results.getJsonArray("stages");
    for (Object item : stages) {
      JsonObject stage = (JsonObject) item;
      JsonObject fill = stage.getJsonObject("fill");
      text.append(String.format(Locale.ROOT, "%-10s %,12d %,12d %12.0f %10.0f %10.0f  %s / %s%s%n",
          String.format(Locale.ROOT, "%,d", stage.getLong("target")), stage.getLong("stored_messages"),
          stage.getLong("memberships"), fill.getDouble("messages_per_second"), fill.getDouble("joins_per_second"),
          fill.getDouble("send_seconds") + fill.getDouble("join_seconds"), stage.getString("load_average_before"),
          stage.getString("load_average_after"), fill.getBoolean("complete") ? "" : "  (not reached)"));
    }
    text.append(String.format(Locale.ROOT, "%-10s %12s %10s %9s %9s %7s %7s  %s%n", "operation", "messages",
        "req/s", "p50 ms", "p99 ms", "x p50", "x cost", "errors"));
    if (!stages.isEmpty()) {
      for (String name : stages.getJsonObject(0).getJsonObject("ops").fieldNames()) {
        for (Object item : stages) {
          JsonObject stage = (JsonObject) item;
          JsonObject op = stage.getJsonObject("ops").getJsonObject(name);
          if (op == null) {
            continue;
          }
          JsonObject latency = op.getJsonObject("latency");
          JsonObject errors = op.getJsonObject("errors");
          text.append(String.format(Locale.ROOT, "%-10s %,12d %10.1f %9.2f %9.2f %7.2f %7.2f  %s%n", name,
              stage.getLong("stored_messages"), op.getDouble("throughput_per_second"),
              latency.getDouble("p50_ms", 0.0), latency.getDouble("p99_ms", 0.0), op.getDouble("p50_ratio", 0.0),
              op.getDouble("cost_ratio", 0.0), errors.isEmpty() ? "0" : errors.encode()));
        }
      }
    }
    JsonObject growth = results.getJsonObject("growth");
    if (growth != null && growth.getDouble("max_growth") > 0) {
      text.append(String.format(Locale.ROOT, "max growth %.2fx: %s%n", growth.getDouble("max_growth"),
          growth.getBoolean("passed") ? "met" : "MISSED"));
      growth.getJsonArray("missed").forEach(message -> text.append("  ").append(message)
          .append(System.lineSeparator()));
    }
    return text.toString();
  }

  static String html(JsonObject results) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>ConnectBest load test: growth</title><style>body{font-family:sans-serif;margin:2em;")
        .append("max-width:1000px}pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head><body>")
        .append("<h1>ConnectBest load test: growth</h1><p>Started ")
        .append(SvgChart.escape(results.getString("started_at"))).append("</p><h2>Summary</h2><pre>")
        .append(SvgChart.escape(render(results).strip())).append("</pre>");
    JsonArray stages = results.getJsonArray("stages");
    List<SvgChart.Tick> ticks = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      ticks.add(new SvgChart.Tick(i, String.format(Locale.ROOT, "%,d", stages.getJsonObject(i)
          .getLong("stored_messages"))));
    }
    for (String percentile : List.of("p50", "p99")) {
      SvgChart chart = new SvgChart("stored messages", "ms").xTicks(ticks);
      if (!stages.isEmpty()) {
        for (String name : stages.getJsonObject(0).getJsonObject("ops").fieldNames()) {
          List<double[]> points = new ArrayList<>();
          for (int i = 0; i < stages.size(); i++) {
            JsonObject op = stages.getJsonObject(i).getJsonObject("ops").getJsonObject(name);
            if (op != null && op.getJsonObject("latency").containsKey(percentile + "_ms")) {
              points.add(new double[] {i, op.getJsonObject("latency").getDouble(percentile + "_ms")});
            }
          }
          chart.add(new SvgChart.Series(name, points, false));
        }
      }
      html.append("<h2>").append(percentile).append(" latency per stage</h2>").append(chart.render());
    }
    html.append("<h2>Options</h2><pre>").append(SvgChart.escape(results.getJsonObject("options").encodePrettily()))
        .append("</pre><h2>Setup</h2><pre>").append(SvgChart.escape(results.getJsonObject("setup").encodePrettily()))
        .append("</pre>");
    return html.append("</body></html>\n").toString();
  }

  private static void write(String file, String content, PrintStream out) throws IOException {
    if (file != null) {
      Path path = Path.of(file);
      if (path.toAbsolutePath().getParent() != null) {
        Files.createDirectories(path.toAbsolutePath().getParent());
      }
      Files.writeString(path, content);
      out.println("wrote " + path);
    }
  }
}
