package com.connectbest.chat.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenScheduleTest {

  @Test
  @DisplayName("Without a ramp-up, request n is due at n/rate and a run holds rate x duration requests")
  void constantRate() {
    OpenSchedule schedule = new OpenSchedule(100, Duration.ZERO, Duration.ofSeconds(10));
    assertEquals(1000, schedule.totalRequests());
    assertEquals(10_000_000L, schedule.dueOffsetNanos(0));
    assertEquals(1_000_000_000L, schedule.dueOffsetNanos(99));
    assertEquals(10_000_000_000L, schedule.dueOffsetNanos(999));
  }

  @Test
  @DisplayName("A linear ramp-up sends half as many requests as full rate would, then the full rate follows")
  void rampUp() {
    OpenSchedule schedule = new OpenSchedule(100, Duration.ofSeconds(4), Duration.ofSeconds(10));
    assertEquals(200, schedule.requestsDueBy(4));
    assertEquals(800, schedule.totalRequests());
    assertEquals(50, schedule.requestsDueBy(2));
    assertEquals(50.0, schedule.rateAt(2), 1e-9);
    assertEquals(100.0, schedule.rateAt(5), 1e-9);
    assertEquals(4_000_000_000L, schedule.dueOffsetNanos(199));
    assertEquals(4_010_000_000L, schedule.dueOffsetNanos(200));
  }

  @Test
  @DisplayName("Due times and due counts agree: every request is due no later than the count says")
  void dueTimesMatchCounts() {
    OpenSchedule schedule = new OpenSchedule(37.5, Duration.ofMillis(2500), Duration.ofSeconds(7));
    long previous = 0;
    for (long i = 0; i < schedule.totalRequests(); i++) {
      long due = schedule.dueOffsetNanos(i);
      assertTrue(due >= previous, "due times never go backwards");
      assertTrue(schedule.requestsDueBy(due / 1e9 + 1e-6) >= i + 1, "request " + i + " is counted when due");
      previous = due;
    }
    assertTrue(previous <= Duration.ofSeconds(7).toNanos());
  }

  @Test
  @DisplayName("A schedule refuses a non-positive rate and a ramp-up longer than the run")
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new OpenSchedule(0, Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new OpenSchedule(10, Duration.ofSeconds(5), Duration.ofSeconds(1)));
  }

  @Test
  @DisplayName("The team timetable is reproducible from its seed and close to the documented hourly rates")
  void teamPlan() {
    TeamPlan plan = TeamPlan.draw(200, Duration.ofSeconds(10), Duration.ofMinutes(30), 1, 7);
    TeamPlan again = TeamPlan.draw(200, Duration.ofSeconds(10), Duration.ofMinutes(30), 1, 7);
    assertEquals(plan.size(), again.size());
    assertEquals(200, plan.count(TeamPlan.Action.SESSION));
    // 200 users x 3 posts an hour x half an hour = 300 expected; Poisson noise is about 17
    long posts = plan.count(TeamPlan.Action.POST);
    assertTrue(posts > 230 && posts < 370, "posts: " + posts);
    for (long i = 1; i < plan.size(); i++) {
      assertTrue(plan.dueOffsetNanos(i) >= plan.dueOffsetNanos(i - 1));
    }
  }
}
