package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code http}: hammers one cheap endpoint ({@code --path}, default {@code /api/auth/status}, which crosses the
 * gateway and the bus to a service) to find the ceiling. With {@code --rate} it is an open model; with
 * {@code --concurrency C} a closed loop of C clients, each sending the next request when the last one is answered
 * (a closed loop finds the maximum throughput, an open one the latency at a chosen rate).
 */
final class HttpScenario implements Scenario {

  @Override
  public JsonObject run(Harness harness) throws InterruptedException {
    Options options = harness.options;
    String path = options.string("path", "/api/auth/status");
    int concurrency = options.integer("concurrency", 0);
    Duration duration = options.duration("duration", "30s");
    Duration rampUp = options.duration("ramp-up", concurrency > 0 ? "0s" : "5s");
    LatencyStats http = harness.metrics.latency("http");
    int maxInFlight = options.integer("max-in-flight", 20_000);
    double rampSeconds = SendScenario.seconds(rampUp);
    double loadSeconds = SendScenario.seconds(duration);

    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    Sampler sampler = new Sampler(harness, rampSeconds, loadSeconds);
    sampler.start(start);
    if (concurrency > 0) {
      harness.say(String.format(Locale.ROOT, "closed loop: %d clients on %s for %s...", concurrency, path,
          Durations.format(duration)));
      long end = start + duration.toNanos();
      Future.all(java.util.stream.IntStream.range(0, concurrency)
          .mapToObj(client -> harness.lanes.on(client, () -> loop(harness, client, path, end, http)))
          .toList()).await();
    } else {
      OpenSchedule schedule = new OpenSchedule(options.decimal("rate", 1000), rampUp, duration);
      harness.say(String.format(Locale.ROOT, "open model: %.0f req/s on %s for %s (ramp-up %s)...",
          schedule.ratePerSecond(), path, Durations.format(duration), Durations.format(rampUp)));
      OpenLoopDriver.run(harness.lanes.get(0), schedule, start, (index, due) ->
          Measured.call(harness.metrics, maxInFlight, due,
              () -> harness.apiFor((int) index).get(path, null), http)).await();
    }
    Drain.await(harness, options.duration("drain", "5s"));
    sampler.stop();
    JsonObject results = Results.build(harness, "http", startedAt, rampSeconds, loadSeconds);
    results.put("setup", new JsonObject().put("path", path).put("concurrency", concurrency)
        .put("model", concurrency > 0 ? "closed" : "open"));
    return results;
  }

  /** One closed-loop client: the next request goes out when the previous one is answered. */
  private static Future<Void> loop(Harness harness, int client, String path, long endNanos, LatencyStats http) {
    Promise<Void> done = Promise.promise();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      long now = System.nanoTime();
      if (now >= endNanos) {
        done.tryComplete();
        return;
      }
      Measured.call(harness.metrics, Integer.MAX_VALUE, now, () -> harness.apiFor(client).get(path, null), http)
          .onComplete(result -> next[0].run());
    };
    next[0].run();
    return done.future();
  }
}
