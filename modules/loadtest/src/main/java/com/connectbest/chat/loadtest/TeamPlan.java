package com.connectbest.chat.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The team profile's timetable: every user starts a session (staggered over the ramp-up), then does each action at
 * random times (Poisson: exponential gaps) at the hourly rates below, multiplied by {@code speed}. The whole
 * timetable is drawn up front from a seed, so the load never depends on how fast the server answers.
 */
final class TeamPlan implements Timetable {

  enum Action {
    SESSION(0), POST(3), TYPING(3), READ(12), HISTORY(12), CHANNELS(6), REACT(6);

    /** Times per user per hour at speed 1; a session happens once. */
    final double perHour;

    Action(double perHour) {
      this.perHour = perHour;
    }
  }

  record Event(long dueNanos, int user, Action action, int choice) {
  }

  private final List<Event> events;
  private final long durationNanos;

  private TeamPlan(List<Event> events, long durationNanos) {
    this.events = events;
    this.durationNanos = durationNanos;
  }

  static TeamPlan draw(int users, Duration rampUp, Duration duration, double speed, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long end = duration.toNanos();
    List<Event> events = new ArrayList<>();
    for (int user = 0; user < users; user++) {
      long sessionStart = users <= 1 ? 0 : rampUp.toNanos() * user / users;
      events.add(new Event(sessionStart, user, Action.SESSION, random.nextInt(100)));
      for (Action action : Action.values()) {
        if (action.perHour <= 0) {
          continue;
        }
        double meanGapNanos = 3600e9 / (action.perHour * speed);
        long t = sessionStart + exponential(random, meanGapNanos);
        while (t < end) {
          events.add(new Event(t, user, action, random.nextInt(100)));
          t += exponential(random, meanGapNanos);
        }
      }
    }
    events.sort(Comparator.comparingLong(Event::dueNanos));
    return new TeamPlan(events, end);
  }

  private static long exponential(SplittableRandom random, double mean) {
    return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * mean));
  }

  Event event(long index) {
    return events.get((int) index);
  }

  long count(Action action) {
    return events.stream().filter(event -> event.action() == action).count();
  }

  @Override
  public long size() {
    return events.size();
  }

  @Override
  public long dueOffsetNanos(long index) {
    return events.get((int) index).dueNanos();
  }

  @Override
  public long durationNanos() {
    return durationNanos;
  }

  /** The mix as the help and docs describe it. */
  static String describe() {
    return """
        team profile, per user: one session start (list channels, load the history of each of the user's channels;
        staggered over the ramp-up), then at random (Poisson) times per hour: post a message 3 (about one every
        20 minutes; 90% to the team channel, 10% to the company-wide channel), typing signal 3, mark a channel
        read 12, open a channel's history (50 messages) 12, refresh the channel list 6, react to a recent
        message 6; 42 requests per user-hour in all. Users are in teams of --team-size (one channel each) plus
        one company-wide channel, each with a live socket registered on their user and channel addresses.
        --team-speed multiplies every rate (10 = ten times as busy).""";
  }
}
