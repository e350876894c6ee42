package com.connectbest.chat.loadtest;

import java.time.Duration;

/** After the load stops: wait for answers still in flight and for live events still coming, within a limit. */
final class Drain {

  private Drain() {
  }

  static void await(Harness harness, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long lastDelivered = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long delivered = harness.metrics.delivered.sum();
      if (delivered != lastDelivered) {
        lastDelivered = delivered;
        quietSince = System.nanoTime();
      }
      boolean quiet = System.nanoTime() - quietSince > 500_000_000L;
      if (harness.metrics.inFlight.get() == 0 && quiet) {
        return;
      }
      Thread.sleep(100);
    }
  }
}
