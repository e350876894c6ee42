package com.connectbest.chat.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Fires the requests of a {@link Timetable} at their due times, checked every millisecond, never waiting
 * for answers. A tick that comes late fires everything that fell due meanwhile, each with its own due time.
 */
final class OpenLoopDriver {

  /** Fires request {@code index}, due at {@code dueNanos} on the {@link System#nanoTime()} clock. */
  interface Fire {
    void fire(long index, long dueNanos);
  }

  private OpenLoopDriver() {
  }

  /** Completes when the schedule's duration is over. */
  static Future<Void> run(Context context, Timetable schedule, long startNanos, Fire fire) {
    Promise<Void> done = Promise.promise();
    long total = schedule.size();
    long endNanos = schedule.durationNanos();
    context.runOnContext(v -> {
      long[] next = {0};
      context.owner().setPeriodic(1, timer -> {
        long elapsed = System.nanoTime() - startNanos;
        while (next[0] < total) {
          long due = schedule.dueOffsetNanos(next[0]);
          if (due > elapsed) {
            break;
          }
          try {
            fire.fire(next[0]++, startNanos + due);
          } catch (RuntimeException e) {
            context.owner().cancelTimer(timer);
            done.tryFail(e);
            return;
          }
        }
        if (elapsed >= endNanos) {
          context.owner().cancelTimer(timer);
          done.tryComplete();
        }
      });
    });
    return done.future();
  }
}
