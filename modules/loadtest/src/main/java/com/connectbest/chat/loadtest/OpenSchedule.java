package com.connectbest.chat.loadtest;

import java.time.Duration;

/**
 * When each request of an open-model run is due, counted from the run's start. The rate climbs linearly from 0
 * to {@code ratePerSecond} during the ramp-up and then stays there until {@code duration} (ramp included) ends.
 * Requests are fired at these times whatever the server does, and latency is measured from them, so that a slow
 * server cannot slow the load down and hide its own queueing (coordinated omission).
 */
record OpenSchedule(double ratePerSecond, Duration rampUp, Duration duration) implements Timetable {

  OpenSchedule {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("the rate must be positive");
    }
    if (rampUp.isNegative() || duration.isNegative() || rampUp.compareTo(duration) > 0) {
      throw new IllegalArgumentException("need 0 <= ramp-up <= duration");
    }
  }

  /** Requests due in the whole run. */
  long totalRequests() {
    return requestsDueBy(seconds(duration));
  }

  @Override
  public long size() {
    return totalRequests();
  }

  @Override
  public long durationNanos() {
    return duration.toNanos();
  }

  /** How many requests are due at or before {@code t} seconds after the start. */
  long requestsDueBy(double t) {
    return (long) Math.floor(expectedCount(Math.min(t, seconds(duration))) + 1e-9);
  }

  /** Offset from the start, in nanoseconds, at which request {@code index} (from 0) is due. */
  @Override
  public long dueOffsetNanos(long index) {
    double n = index + 1;
    double ramp = seconds(rampUp);
    double rampCount = ratePerSecond * ramp / 2;
    double t = n <= rampCount && ramp > 0
        ? Math.sqrt(2 * ramp * n / ratePerSecond)
        : ramp + (n - rampCount) / ratePerSecond;
    return Math.round(t * 1e9);
  }

  /** The target rate at {@code t} seconds after the start. */
  double rateAt(double t) {
    double ramp = seconds(rampUp);
    return t < ramp ? ratePerSecond * t / ramp : ratePerSecond;
  }

  private double expectedCount(double t) {
    double ramp = seconds(rampUp);
    if (t <= ramp) {
      return ramp == 0 ? 0 : ratePerSecond * t * t / (2 * ramp);
    }
    return ratePerSecond * ramp / 2 + ratePerSecond * (t - ramp);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
