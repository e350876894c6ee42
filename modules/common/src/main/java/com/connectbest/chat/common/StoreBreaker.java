package com.connectbest.chat.common;

/**
 * Fails fast while the data store is down: after {@code threshold} consecutive "store unavailable" failures, every
 * request is refused with 503 for {@code openMillis}; then requests flow again, and one more failure re-opens it.
 * Confined to one verticle's event loop.
 */
final class StoreBreaker {

  private final int threshold;
  private final long openMillis;
  private int consecutiveFailures;
  private long openUntil;

  StoreBreaker(int threshold, long openMillis) {
    this.threshold = threshold;
    this.openMillis = openMillis;
  }

  boolean open() {
    return System.currentTimeMillis() < openUntil;
  }

  void record(Throwable failure) {
    if (failure != null && MongoDocs.isUnavailable(failure)) {
      if (++consecutiveFailures >= threshold) {
        openUntil = System.currentTimeMillis() + openMillis;
      }
    } else {
      consecutiveFailures = 0;
    }
  }
}
