package com.connectbest.chat.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResultsTest {

  private static JsonObject resultsOfAShortRun() {
    Options options = Options.parse("send", "--targets", "http://127.0.0.1:1", "--client-threads", "1");
    try (Harness harness = new Harness(options, new PrintStream(new ByteArrayOutputStream()))) {
      RunMetrics metrics = harness.metrics;
      LatencyStats fanout = metrics.latency("fanout");
      LatencyStats http = metrics.latency("http");
      metrics.sample(1.0, 1.0, false, false);
      for (int i = 1; i <= 100; i++) {
        http.recordNanos(i * 1_000_000L);
        fanout.recordNanos(i * 2_000_000L);
        metrics.attempted.increment();
        metrics.succeeded.increment();
      }
      metrics.attempted.increment();
      metrics.error("HTTP 503");
      metrics.sample(2.0, 1.0, true, true);
      return Results.build(harness, "send", Instant.parse("2025-01-15T10:30:00Z"), 1, 2);
    }
  }

  @Test
  @DisplayName("The results document holds counts, error kinds, throughput and latency percentiles in ms")
  void content() {
    JsonObject results = resultsOfAShortRun();
    assertEquals("send", results.getString("mode"));
    assertEquals("fanout", results.getString("primary_latency"), "the first latency declared is the main one");
    JsonObject counts = results.getJsonObject("counts");
    assertEquals(101, counts.getLong("attempted"));
    assertEquals(1, counts.getLong("failed"));
    assertEquals(1, counts.getJsonObject("errors").getLong("HTTP 503"));
    assertEquals(1.0 / 101, counts.getDouble("error_rate"), 1e-9);
    assertEquals(100.0, counts.getDouble("throughput_per_second"), 1e-9);
    JsonObject http = results.getJsonObject("latency").getJsonObject("http");
    assertEquals(100, http.getLong("count"));
    assertEquals(50.0, http.getDouble("p50_ms"), 0.1);
    assertEquals(99.0, http.getDouble("p99_ms"), 0.1);
    assertEquals(100.0, http.getDouble("max_ms"), 0.1);
    assertEquals(200.0, results.getJsonObject("latency").getJsonObject("fanout").getDouble("max_ms"), 0.2);
  }

  @Test
  @DisplayName("The timeline has one point per sample, and the ramp-up sample is left out of the totals")
  void timeline() {
    JsonObject results = resultsOfAShortRun();
    JsonArray timeline = results.getJsonArray("timeline");
    assertEquals(2, timeline.size());
    assertEquals(false, timeline.getJsonObject(0).getBoolean("counted"));
    assertEquals(100, timeline.getJsonObject(1).getJsonObject("latency").getJsonObject("http").getLong("count"));
    assertEquals(1.0, results.getDouble("measured_seconds"));
  }

  @Test
  @DisplayName("The distribution runs from the minimum to the maximum over the listed percentiles")
  void distribution() {
    JsonArray points = resultsOfAShortRun().getJsonObject("distribution").getJsonArray("http");
    assertEquals(LatencyStats.DISTRIBUTION_PERCENTILES.length, points.size());
    assertEquals(100.0, points.getJsonArray(points.size() - 1).getDouble(0));
    assertEquals(100.0, points.getJsonArray(points.size() - 1).getDouble(1), 0.1);
  }

  @Test
  @DisplayName("The HTML report is self-contained: inline SVG charts, no scripts or links to fetch")
  void html() {
    JsonObject results = resultsOfAShortRun();
    results.put("slo", new JsonObject().put("spec", "p99=1ms").put("passed", false)
        .put("checks", Slo.toJson(Slo.parse("p99=1ms").evaluate(results))));
    String html = HtmlReport.render(results);
    assertTrue(html.contains("<svg"));
    assertTrue(html.contains("Latency percentile distribution"));
    assertTrue(html.contains("MISSED"));
    assertTrue(!html.contains("<script") && !html.contains("http://cdn") && !html.contains("https://"));
    assertTrue(SummaryTable.render(results).contains("fanout"));
  }

  @Test
  @DisplayName("jcmd's heap line is read as megabytes used")
  void heapInfo() {
    String output = "12345:\n garbage-first heap   total 262144K, used 104858K [0x0000000700000000)\n"
        + "  region size 1024K, 40 young (40960K), 3 survivors (3072K)\n";
    assertEquals(102.4, ServerHeap.parseUsedMb(output), 0.05);
  }
}
