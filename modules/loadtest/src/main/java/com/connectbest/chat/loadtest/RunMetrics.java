package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/** Everything a run counts, safe to update from any event loop; sampled once a second into a timeline. */
final class RunMetrics {

  private final Map<String, LatencyStats> latencies = new LinkedHashMap<>();
  final LongAdder attempted = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final LongAdder delivered = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  /** Sends retried (same idempotency key) after no answer, 503 or 504. */
  final LongAdder retried = new LongAdder();
  /** Sends the server answered as a replay of an earlier one with the same key (Idempotent-Replayed). */
  final LongAdder replayed = new LongAdder();
  final AtomicInteger openSockets = new AtomicInteger();
  final LongAdder socketsOpened = new LongAdder();
  final LongAdder socketsFailed = new LongAdder();
  final LongAdder socketsClosed = new LongAdder();
  final LongAdder registrationsRejected = new LongAdder();
  final AtomicInteger inFlight = new AtomicInteger();
  /** Set when the run is over: answers that come later are no longer counted. */
  volatile boolean closed;
  private final List<JsonObject> timeline = new ArrayList<>();
  private long lastAttempted;
  private long lastSucceeded;
  private long lastFailed;
  private long lastDelivered;
  private long countedSucceeded;
  private double countedSeconds;

  /** Declares a latency; the first one declared is the run's main latency. */
  LatencyStats latency(String name) {
    return latencies.computeIfAbsent(name, LatencyStats::new);
  }

  Map<String, LatencyStats> latencies() {
    return latencies;
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Ends the counting; requests still unanswered count as errors, so a tail that never came back is not hidden. */
  void close() {
    closed = true;
    int unanswered = inFlight.getAndSet(0);
    if (unanswered > 0) {
      errors.computeIfAbsent("no answer before the end", k -> new LongAdder()).add(unanswered);
    }
  }

  long failed() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> errorsByKind() {
    Map<String, Long> byKind = new TreeMap<>();
    errors.forEach((kind, count) -> byKind.put(kind, count.sum()));
    return byKind;
  }

  /**
   * One second's figures. Latencies sampled after the ramp-up make the run's latency totals; successes between
   * the ramp-up and the end of the load make its throughput.
   */
  JsonObject sample(double secondsSinceStart, double intervalSeconds, boolean countLatency, boolean countThroughput) {
    long attemptedNow = attempted.sum();
    long succeededNow = succeeded.sum();
    long failedNow = failed();
    long deliveredNow = delivered.sum();
    JsonObject point = new JsonObject()
        .put("t", Math.round(secondsSinceStart * 10) / 10.0)
        .put("attempted", attemptedNow - lastAttempted)
        .put("succeeded", succeededNow - lastSucceeded)
        .put("failed", failedNow - lastFailed)
        .put("delivered", deliveredNow - lastDelivered)
        .put("open_sockets", openSockets.get())
        .put("in_flight", inFlight.get())
        .put("counted", countLatency);
    if (countThroughput) {
      countedSucceeded += succeededNow - lastSucceeded;
      countedSeconds += intervalSeconds;
    }
    lastAttempted = attemptedNow;
    lastSucceeded = succeededNow;
    lastFailed = failedNow;
    lastDelivered = deliveredNow;
    JsonObject latency = new JsonObject();
    latencies.forEach((name, stats) -> {
      Histogram interval = stats.sampleInterval(countLatency);
      latency.put(name, LatencyStats.summary(interval));
    });
    point.put("latency", latency);
    timeline.add(point);
    return point;
  }

  List<JsonObject> timeline() {
    return timeline;
  }

  /** Successful requests per second over the counted (post-ramp) seconds. */
  double throughput() {
    return countedSeconds == 0 ? 0 : countedSucceeded / countedSeconds;
  }

  double countedSeconds() {
    return countedSeconds;
  }
}
