package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoreBreakerTest {

  private static final Throwable DOWN = new IllegalStateException("wrapped", new MongoTimeoutException("no server"));

  @Test
  @DisplayName("the breaker opens after three store-unavailable failures in a row, not before")
  void opensAfterThreshold() {
    StoreBreaker breaker = new StoreBreaker(3, 60_000);
    breaker.record(DOWN);
    breaker.record(DOWN);
    assertFalse(breaker.open());
    breaker.record(DOWN);
    assertTrue(breaker.open());
  }

  @Test
  @DisplayName("a success or an ordinary failure resets the count")
  void resets() {
    StoreBreaker breaker = new StoreBreaker(3, 60_000);
    breaker.record(DOWN);
    breaker.record(DOWN);
    breaker.record(ApiException.notFound("Channel not found"));
    breaker.record(DOWN);
    breaker.record(null);
    breaker.record(DOWN);
    assertFalse(breaker.open());
  }

  @Test
  @DisplayName("after the open period requests flow again, and one more failure re-opens it")
  void halfOpen() throws InterruptedException {
    StoreBreaker breaker = new StoreBreaker(2, 50);
    breaker.record(DOWN);
    breaker.record(DOWN);
    assertTrue(breaker.open());
    Thread.sleep(80);
    assertFalse(breaker.open());
    breaker.record(DOWN);
    assertTrue(breaker.open());
  }
}
