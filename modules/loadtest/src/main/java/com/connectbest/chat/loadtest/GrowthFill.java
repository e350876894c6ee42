package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Fills the store between two stages through the public API: filler users join filler channels (membership k is
 * user k mod F in channel k / F, so channels fill up one after the other), then post into their own channels with
 * many requests in flight until the store holds the stage's number of messages. Bounded by the fill budget: when
 * it runs out, the stage is measured at whatever was reached.
 */
final class GrowthFill {

  /** A fill stops early when this many of its requests failed (the server is in trouble; measure what is there). */
  private static final long MAX_ERRORS = 1_000;

  private final Harness harness;
  private final GrowthPlan plan;
  private final GrowthApi api;
  private final GrowthSetup.World world;
  private final AtomicLong stored;
  private final long deadlineNanos;
  private long joined;
  private long sent;

  GrowthFill(Harness harness, GrowthPlan plan, GrowthApi api, GrowthSetup.World world, AtomicLong stored) {
    this.harness = harness;
    this.plan = plan;
    this.api = api;
    this.world = world;
    this.stored = stored;
    this.deadlineNanos = System.nanoTime() + plan.fillBudget().toNanos();
  }

  /** Memberships of the filler channels, counting each channel's creator. */
  long fillerMemberships() {
    long creatorsNotYetCovered = 0;
    int users = plan.fillerUsers();
    for (int c = 0; c < plan.fillerChannels(); c++) {
      if ((long) c * users + c % users >= joined) {
        creatorsNotYetCovered++;
      }
    }
    return joined + creatorsNotYetCovered;
  }

  boolean budgetLeft() {
    return System.nanoTime() < deadlineNanos;
  }

  /** Brings the store up to {@code stage} messages; returns what was done, with {@code complete} false if cut short. */
  JsonObject fillTo(long stage) {
    long joinsWanted = plan.membershipsAt(stage);
    long joinStart = System.nanoTime();
    LongAdder joinErrors = new LongAdder();
    long joinsBefore = joined;
    if (joinsWanted > joined) {
      harness.say(String.format(Locale.ROOT, "joining filler memberships %,d..%,d...", joined, joinsWanted));
      long from = joined;
      joined = from + loop(joinsWanted - from, false, joinErrors, i -> {
        long k = from + i;
        Accounts.Account user = world.fillers().get((int) (k % plan.fillerUsers()));
        String channel = world.fillerChannels().get((int) (k / plan.fillerUsers()));
        return GrowthSetup.expect(harness.apiFor(user.index()).join(user.token(), channel), "join", 200, 400)
            .mapEmpty();
      }, "joined")[1];
    }
    double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

    long sendStart = System.nanoTime();
    LongAdder sendErrors = new LongAdder();
    long before = stored.get();
    long wanted = Math.max(0, stage - before);
    if (wanted > 0 && budgetLeft() && joinErrors.sum() < MAX_ERRORS) {
      harness.say(String.format(Locale.ROOT, "filling %,d messages (%,d → %,d stored)...", wanted, before, stage));
      long first = sent;
      long done = loop(wanted, true, sendErrors, i -> {
        long n = first + i;
        int channel = (int) (n % plan.fillerChannels());
        Accounts.Account author = world.fillers().get(channel % plan.fillerUsers());
        return GrowthSetup.expect(api.send(author.token(), world.fillerChannels().get(channel),
            GrowthSetup.content("fill", n), null), "send", 201).map(ok -> {
              stored.incrementAndGet();
              return ok.bodyAsJsonObject().getJsonObject("message").getString("id");
            }).compose(id -> n % GrowthPlan.PIN_EVERY != GrowthPlan.PIN_EVERY - 1 ? Future.succeededFuture()
                : GrowthSetup.expect(api.pin(author.token(), id), "pin", 200).mapEmpty());
      }, "stored")[1];
      sent += done;
    }
    double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
    long messages = stored.get() - before;
    boolean complete = stored.get() >= stage && joined >= joinsWanted;
    return new JsonObject()
        .put("complete", complete)
        .put("messages", messages)
        .put("send_seconds", Results.round(sendSeconds))
        .put("messages_per_second", Results.round(sendSeconds > 0 ? messages / sendSeconds : 0))
        .put("send_errors", sendErrors.sum())
        .put("joins", joined - joinsBefore)
        .put("join_seconds", Results.round(joinSeconds))
        .put("joins_per_second", Results.round(joinSeconds > 0 ? (joined - joinsBefore) / joinSeconds : 0))
        .put("join_errors", joinErrors.sum());
  }

  /**
   * Runs tasks 0, 1, ... with {@code fill-concurrency} in flight until {@code count} succeeded, the budget ran out
   * or too many failed. Failed tasks are not retried: with {@code openEnded} later indices make up for them,
   * otherwise each index below {@code count} is tried once. Returns {successes, indices handed out}.
   */
  private long[] loop(long count, boolean openEnded, LongAdder errors, LongFunction<Future<Void>> task,
      String noun) {
    AtomicLong next = new AtomicLong();
    AtomicLong succeeded = new AtomicLong();
    long start = System.nanoTime();
    long timer = harness.vertx.setPeriodic(5000, id -> harness.say(String.format(Locale.ROOT,
        "  %,d %s, %.0f/s, %d errors, %s stored in total", succeeded.get(), noun,
        succeeded.get() / ((System.nanoTime() - start) / 1e9), errors.sum(), String.format("%,d", stored.get()))));
    int workers = (int) Math.min(plan.fillConcurrency(), count);
    Future<?>[] all = new Future<?>[workers];
    for (int w = 0; w < workers; w++) {
      Promise<Void> done = Promise.promise();
      all[w] = done.future();
      harness.lanes.get(w).runOnContext(v -> worker(count, openEnded, next, succeeded, errors, task, done));
    }
    Future.all(java.util.List.of(all)).await();
    harness.vertx.cancelTimer(timer);
    return new long[] {succeeded.get(), Math.min(next.get(), openEnded ? Long.MAX_VALUE : count)};
  }

  private void worker(long count, boolean openEnded, AtomicLong next, AtomicLong succeeded, LongAdder errors,
      LongFunction<Future<Void>> task, Promise<Void> done) {
    if (succeeded.get() >= count || errors.sum() >= MAX_ERRORS || !budgetLeft()) {
      done.tryComplete();
      return;
    }
    long index = next.getAndIncrement();
    // at most count tasks at once (no overshoot); later indices stand in for failed ones only when open-ended
    if (index >= count + (openEnded ? errors.sum() : 0)) {
      done.tryComplete();
      return;
    }
    Future<Void> future;
    try {
      future = task.apply(index);
    } catch (RuntimeException e) {
      future = Future.failedFuture(e);
    }
    future.onComplete(result -> {
      if (result.succeeded()) {
        succeeded.incrementAndGet();
      } else {
        errors.increment();
        if (errors.sum() <= 3) {
          harness.say("  fill request failed: " + result.cause().getMessage());
        }
      }
      worker(count, openEnded, next, succeeded, errors, task, done);
    });
  }
}
