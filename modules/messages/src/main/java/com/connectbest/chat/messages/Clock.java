package com.connectbest.chat.messages;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as MongoDB stores them (milliseconds), so that what a response shows is what a query compares. */
final class Clock {

  private Clock() {
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
