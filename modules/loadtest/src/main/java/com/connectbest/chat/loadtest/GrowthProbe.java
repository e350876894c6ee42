package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures each hot operation on its own: {@code concurrency} clients in a closed loop (each sends the next request
 * when the last is answered), a warm-up whose samples are dropped, then {@code duration} (or {@code requests}
 * requests) measured. The same user, channel and messages at every stage, so only the store's size changes.
 */
final class GrowthProbe {

  /** One hot operation: its request for client {@code client}'s n-th call, and the statuses that mean success. */
  record Op(String name, String description, Set<Integer> ok, Call call) {
  }

  @FunctionalInterface
  interface Call {
    Future<HttpResponse<Buffer>> request(int client, long n);
  }

  static final String EMOJI = "👍";

  private final Harness harness;
  private final GrowthPlan plan;
  private final AtomicLong stored;

  GrowthProbe(Harness harness, GrowthPlan plan, AtomicLong stored) {
    this.harness = harness;
    this.plan = plan;
    this.stored = stored;
  }

  /**
   * The hot operations of issue 13, in the order they are measured: send last, because it adds messages (to a
   * channel of its own) and the others should see the stage's count.
   */
  static List<Op> ops(Harness harness, GrowthApi api, GrowthSetup.World world, AtomicLong stored) {
    String me = world.measured().token();
    ChatApi chat = harness.apiFor(world.measured().index());
    List<Op> ops = new ArrayList<>();
    ops.add(new Op("history", "GET /api/chat/channels/{measured}/messages?limit=50", Set.of(200),
        (client, n) -> chat.history(me, world.measuredChannel(), 50)));
    ops.add(new Op("thread", "GET /api/chat/messages/{root}/replies", Set.of(200),
        (client, n) -> api.replies(me, world.threadRoot())));
    ops.add(new Op("pins", "GET /api/chat/channels/{measured}/pins (" + GrowthPlan.PINNED + " pinned)", Set.of(200),
        (client, n) -> api.pinned(me, world.measuredChannel())));
    ops.add(new Op("channels", "GET /api/chat/channels (with unread counts)", Set.of(200),
        (client, n) -> chat.myChannels(me)));
    ops.add(new Op("dms", "GET /api/dm/conversations", Set.of(200), (client, n) -> api.conversations(me)));
    ops.add(new Op("read", "POST /api/chat/channels/{measured}/read", Set.of(200),
        (client, n) -> chat.markRead(me, world.measuredChannel())));
    ops.add(new Op("reactions", "POST, then DELETE, a reaction (each client its own message)", Set.of(200),
        (client, n) -> {
          String message = world.reactionTargets().get(client % world.reactionTargets().size());
          return n % 2 == 0
              ? chat.react(me, world.measuredChannel(), message, EMOJI)
              : api.unreact(me, world.measuredChannel(), message, EMOJI);
        }));
    ops.add(new Op("file", "GET /api/files/{key} (302; a member's file, not the caller's)", Set.of(302),
        (client, n) -> api.file(me, world.fileKey())));
    ops.add(new Op("search", "GET /api/chat/search?q=" + GrowthPlan.NEEDLE + "&limit=20", Set.of(200),
        (client, n) -> api.search(me, GrowthPlan.NEEDLE, 20)));
    ops.add(new Op("send", "POST /api/chat/channels/{sink}/messages/send (another user, own channel)", Set.of(201),
        (client, n) -> api.send(world.sender().token(), world.sinkChannel(), GrowthSetup.content("probe", n), null)
            .onSuccess(r -> {
              if (r.statusCode() == 201) {
                stored.incrementAndGet();
              }
            })));
    return ops;
  }

  /**
   * Waits (at most {@code limit}) until the server answers {@code probe} with a success within a second: requests
   * that timed out on the client may still be running in the store, and would otherwise be charged to the next
   * operation. Returns the seconds waited.
   */
  double settle(Op probe, java.time.Duration limit) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (System.nanoTime() < deadline) {
      long sent = System.nanoTime();
      HttpResponse<Buffer> answer;
      try {
        answer = probe.call().request(0, 0).await();
      } catch (Exception e) { // await() rethrows the cause as is, a checked TimeoutException included
        answer = null;
      }
      if (answer != null && probe.ok().contains(answer.statusCode()) && System.nanoTime() - sent < 1_000_000_000L) {
        break;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Results.round((System.nanoTime() - start) / 1e9);
  }

  /** Warm-up, then the measured window; the result of one operation at one stage. */
  JsonObject measure(Op op) {
    run(op, new LatencyStats(op.name() + " warm-up"), new Counts(), plan.warmUp().toNanos(), 0);
    LatencyStats stats = new LatencyStats(op.name());
    Counts counts = new Counts();
    long start = System.nanoTime();
    run(op, stats, counts, plan.duration().toNanos(), plan.requests());
    double seconds = (System.nanoTime() - start) / 1e9;
    stats.sampleInterval(true);
    JsonObject errors = new JsonObject();
    counts.errors.forEach((kind, count) -> errors.put(kind, count.sum()));
    long succeeded = counts.succeeded.sum();
    return new JsonObject()
        .put("requests", counts.attempted.sum())
        .put("succeeded", succeeded)
        .put("errors", errors)
        .put("seconds", Results.round(seconds))
        .put("throughput_per_second", Results.round(seconds > 0 ? succeeded / seconds : 0))
        .put("latency", LatencyStats.summary(stats.total()));
  }

  private static final class Counts {
    final LongAdder attempted = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final Map<String, LongAdder> errors = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final LongAdder timeouts = new LongAdder();

    void error(String kind) {
      errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
  }

  /**
   * {@code concurrency} closed-loop clients until the time is up or {@code requests} (when > 0) were sent, or a
   * round of requests ({@code concurrency}) timed out: the server is swamped, and more would only queue behind.
   */
  private void run(Op op, LatencyStats stats, Counts counts, long nanos, int requests) {
    long end = System.nanoTime() + nanos;
    AtomicLong issued = new AtomicLong();
    List<Future<Void>> clients = new ArrayList<>();
    for (int c = 0; c < plan.concurrency(); c++) {
      int client = c;
      clients.add(harness.lanes.on(client, () -> {
        Promise<Void> done = Promise.promise();
        next(op, client, 0, stats, counts, end, requests, issued, done);
        return done.future();
      }));
    }
    Future.all(clients).await();
  }

  private void next(Op op, int client, long n, LatencyStats stats, Counts counts, long end, int requests,
      AtomicLong issued, Promise<Void> done) {
    long now = System.nanoTime();
    if (now >= end || counts.timeouts.sum() >= plan.concurrency()
        || (requests > 0 && issued.incrementAndGet() > requests)) {
      done.tryComplete();
      return;
    }
    counts.attempted.increment();
    Future<HttpResponse<Buffer>> response;
    try {
      response = op.call().request(client, n);
    } catch (RuntimeException e) {
      response = Future.failedFuture(e);
    }
    response.onComplete(result -> {
      stats.recordNanos(System.nanoTime() - now);
      if (result.failed()) {
        String kind = Measured.kind(result.cause());
        if (kind.equals("timeout")) {
          counts.timeouts.increment();
        }
        counts.error(kind);
      } else if (op.ok().contains(result.result().statusCode())) {
        counts.succeeded.increment();
      } else {
        counts.error("HTTP " + result.result().statusCode());
      }
      next(op, client, n + 1, stats, counts, end, requests, issued, done);
    });
  }
}
