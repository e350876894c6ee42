package com.connectbest.chat.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of the {@code growth} mode. The measured user sits in {@code channels} channels: one measured channel
 * with {@code history} messages, a thread and {@link #PINNED} pinned messages, the others with a few messages each,
 * plus {@code dms} conversations and one attached file. Filler users ({@code fillerUsers}) then post into
 * {@code fillerChannels} channels of their own until the store holds each stage's number of messages; memberships
 * grow in proportion, up to {@code memberships} at the last stage.
 */
record GrowthPlan(List<Long> stages, int channels, int history, int threadReplies, int dms, int fillerUsers,
    int fillerChannels, int memberships, int fillConcurrency, Duration fillBudget, int concurrency, Duration warmUp,
    Duration duration, int requests, double maxGrowth, Duration settle) {

  static final String DEFAULT_STAGES = "1000,100000,1000000";
  /** Messages per other channel of the measured user, and per direction of each conversation. */
  static final int OTHER_MESSAGES = 5;
  static final int DM_MESSAGES_EACH_WAY = 4;
  static final String NEEDLE = "needle";
  /** Messages of the measured channel pinned during set-up: its pinned list's length at every stage. */
  static final int PINNED = 10;
  /**
   * One filled message in this many is pinned in its filler channel, so the pinned index grows with the store (a
   * thousand entries at 1,000,000 messages) instead of holding only the measured channel's pins.
   */
  static final int PIN_EVERY = 1000;

  static GrowthPlan from(Options options) {
    int history = options.integer("history", 800);
    return new GrowthPlan(stages(options.string("stages", DEFAULT_STAGES)),
        Math.max(1, options.integer("channels", 20)), Math.max(1, history), Math.max(1, Math.min(20, history / 2)),
        options.integer("dms", 5), Math.max(1, options.integer("filler-users", 200)),
        Math.max(1, options.integer("filler-channels", 500)), options.integer("memberships", 100_000),
        Math.max(1, options.integer("fill-concurrency", 64)), options.duration("fill-budget", "25m"),
        Math.max(1, options.integer("concurrency", 8)), options.duration("warm-up", "3s"),
        options.duration("duration", "10s"), options.integer("requests", 0), options.decimal("max-growth", 0),
        options.duration("settle", "3m"));
  }

  /** {@code 1000,100000,1000000}, or with suffixes {@code 1k,100k,1m}: positive and ascending. */
  static List<Long> stages(String text) {
    List<Long> stages = new ArrayList<>();
    for (String part : text.split(",")) {
      String value = part.trim().toLowerCase(java.util.Locale.ROOT);
      long factor = 1;
      if (value.endsWith("k")) {
        factor = 1_000;
      } else if (value.endsWith("m")) {
        factor = 1_000_000;
      }
      if (factor > 1) {
        value = value.substring(0, value.length() - 1);
      }
      long stage;
      try {
        stage = Long.parseLong(value) * factor;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--stages wants numbers of stored messages like 1000,100000,1m, not "
            + text);
      }
      if (stage <= 0 || (!stages.isEmpty() && stage <= stages.get(stages.size() - 1))) {
        throw new IllegalArgumentException("--stages must be positive and ascending: " + text);
      }
      stages.add(stage);
    }
    return stages;
  }

  /** Filler memberships wanted at a stage: in proportion to its messages, {@code memberships} at the last one. */
  long membershipsAt(long stage) {
    long last = stages.get(stages.size() - 1);
    long wanted = Math.round((double) memberships * stage / last);
    return Math.min((long) fillerUsers * fillerChannels, wanted);
  }

  /** The measured user's messages made during set-up (history, thread, other channels, DMs, the file's message). */
  long setupMessages() {
    return history + threadReplies + (long) (channels - 1) * OTHER_MESSAGES + (long) dms * 2 * DM_MESSAGES_EACH_WAY + 1;
  }
}
