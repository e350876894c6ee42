package com.connectbest.chat.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SloTest {

  private static JsonObject results() {
    return new JsonObject()
        .put("primary_latency", "fanout")
        .put("latency", new JsonObject()
            .put("fanout", new JsonObject().put("count", 100).put("mean_ms", 9.0).put("p50_ms", 8.0)
                .put("p90_ms", 20.0).put("p99_ms", 42.0).put("p999_ms", 60.0).put("max_ms", 70.0))
            .put("http", new JsonObject().put("count", 10).put("mean_ms", 3.0).put("p50_ms", 2.0)
                .put("p90_ms", 4.0).put("p99_ms", 30.0).put("p999_ms", 31.0).put("max_ms", 31.0)))
        .put("counts", new JsonObject().put("attempted", 10_000).put("failed", 2).put("error_rate", 0.0002)
            .put("throughput_per_second", 480.0))
        .put("delivery", new JsonObject().put("expected", 1000).put("lost", 0).put("duplicates", 1));
  }

  @Test
  @DisplayName("The issue's example spec parses into a latency bound, a loss count and an error percentage")
  void parsesExample() {
    Slo slo = Slo.parse("p99=50ms,loss=0,errors=0.025%");
    assertEquals(3, slo.criteria().size());
    assertEquals(new Slo.Criterion(null, "p99", 50.0, false), slo.criteria().get(0));
    assertEquals(new Slo.Criterion(null, "loss", 0.0, false), slo.criteria().get(1));
    assertEquals(new Slo.Criterion(null, "errors", 0.025, true), slo.criteria().get(2));
  }

  @Test
  @DisplayName("Objectives that the results meet all pass, the unprefixed latency being the main one")
  void met() {
    List<Slo.Check> checks = Slo.parse("p99=50ms,loss=0,errors=0.025%,http.p99=0.03s,throughput=400")
        .evaluate(results());
    assertTrue(checks.stream().allMatch(Slo.Check::passed), checks.toString());
    assertEquals(42.0, checks.get(0).actual());
  }

  @Test
  @DisplayName("A missed objective fails and its message names the objective and the actual figure")
  void missed() {
    List<Slo.Check> checks = Slo.parse("p99=40ms,errors=0,duplicates=0,avg=5ms,throughput=500").evaluate(results());
    assertTrue(checks.stream().noneMatch(Slo.Check::passed), checks.toString());
    assertEquals("p99 <= 40ms: MISSED, actual 42ms", checks.get(0).message());
    assertEquals("errors <= 0: MISSED, actual 2", checks.get(1).message());
  }

  @Test
  @DisplayName("An objective on a latency the run did not measure fails instead of passing silently")
  void missingLatency() {
    Slo.Check check = Slo.parse("team.p99=1s").evaluate(results()).get(0);
    assertFalse(check.passed());
  }

  @Test
  @DisplayName("Malformed objectives are refused with a message saying which part is wrong")
  void refusesMalformed() {
    assertThrows(IllegalArgumentException.class, () -> Slo.parse("p99"));
    assertThrows(IllegalArgumentException.class, () -> Slo.parse("p99=fast"));
    assertThrows(IllegalArgumentException.class, () -> Slo.parse("p42=1ms"));
    assertThrows(IllegalArgumentException.class, () -> Slo.parse("errors=lots"));
    assertThrows(IllegalArgumentException.class, () -> Slo.parse("http.loss=0"));
    assertTrue(Slo.parse("").criteria().isEmpty());
  }
}
