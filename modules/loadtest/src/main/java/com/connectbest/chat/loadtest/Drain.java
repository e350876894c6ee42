package com.connectbest.chat.loadtest;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * After the load stops: wait for answers still in flight and for the live events still owed, within a limit.
 * Copies still missing at the limit are losses.
 */
final class Drain {

  private Drain() {
  }

  static void await(Harness harness, Duration limit) throws InterruptedException {
    await(harness, limit, () -> 0);
  }

  static void await(Harness harness, Duration limit, LongSupplier missingCopies) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (harness.metrics.inFlight.get() == 0 && missingCopies.getAsLong() == 0) {
        return;
      }
      Thread.sleep(100);
    }
  }
}
