package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/** Runs {@code count} asynchronous tasks with at most {@code concurrency} in flight; the first failure fails all. */
final class Bounded {

  private Bounded() {
  }

  static <T> Future<List<T>> map(int count, int concurrency, IntFunction<Future<T>> task) {
    Promise<List<T>> done = Promise.promise();
    if (count == 0) {
      done.complete(List.of());
      return done.future();
    }
    AtomicReferenceArray<T> results = new AtomicReferenceArray<>(count);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int index = next.getAndIncrement();
      if (index >= count || failed.get()) {
        return;
      }
      Future<T> future;
      try {
        future = task.apply(index);
      } catch (RuntimeException e) {
        future = Future.failedFuture(e);
      }
      future.onComplete(result -> {
        if (result.failed()) {
          if (failed.compareAndSet(false, true)) {
            done.fail(result.cause());
          }
          return;
        }
        results.set(index, result.result());
        if (finished.incrementAndGet() == count) {
          List<T> list = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            list.add(results.get(i));
          }
          done.complete(list);
        } else {
          worker[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(concurrency, count); i++) {
      worker[0].run();
    }
    return done.future();
  }
}
