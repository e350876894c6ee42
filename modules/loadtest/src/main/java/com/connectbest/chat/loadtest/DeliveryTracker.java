package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Matches live events to the messages this run sent. Each message carries a nonce ({@code lt <run> <seq>}) in its
 * content, so an event is recognised whether it arrives before or after the HTTP answer, and each subscriber's
 * copy is counted once: a second copy is a duplicate; a missing one, at the end, is a loss.
 */
final class DeliveryTracker {

  private static final class Tracked {
    final long dueNanos;
    final int channel;
    final int sender;
    final BitSet seenBy = new BitSet();
    volatile boolean accepted;

    Tracked(long dueNanos, int channel, int sender) {
      this.dueNanos = dueNanos;
      this.channel = channel;
      this.sender = sender;
    }
  }

  private final String runId;
  private final String prefix;
  private final RunMetrics metrics;
  private final LatencyStats fanout;
  private final ConcurrentHashMap<Long, Tracked> messages = new ConcurrentHashMap<>();
  private IntUnaryOperator nodeOf;
  private LatencyStats sameNode;
  private LatencyStats crossNode;

  DeliveryTracker(String runId, RunMetrics metrics, LatencyStats fanout) {
    this.runId = runId;
    this.prefix = "lt " + runId + " ";
    this.metrics = metrics;
    this.fanout = fanout;
  }

  /**
   * With several targets, also splits the fan-out latency by whether sender and receiver use the same node, which
   * shows what crossing the cluster's event bus costs.
   */
  void splitByNode(IntUnaryOperator nodeOfUser, LatencyStats sameNodeStats, LatencyStats crossNodeStats) {
    this.nodeOf = nodeOfUser;
    this.sameNode = sameNodeStats;
    this.crossNode = crossNodeStats;
  }

  String runId() {
    return runId;
  }

  /** The content of message {@code seq}, padded to about {@code bytes} characters. */
  String content(long seq, int bytes) {
    String text = prefix + seq;
    return bytes > text.length() + 1 ? text + " " + "x".repeat(bytes - text.length() - 1) : text;
  }

  String warmupContent(int channel) {
    return prefix + "w" + channel;
  }

  /** The channel a warm-up content names, or -1 when it is not one of this run's warm-ups. */
  int warmupChannel(String content) {
    if (content == null || !content.startsWith(prefix + "w")) {
      return -1;
    }
    try {
      return Integer.parseInt(content.substring(prefix.length() + 1).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void sending(long seq, int channel, int sender, long dueNanos) {
    messages.put(seq, new Tracked(dueNanos, channel, sender));
  }

  void accepted(long seq) {
    Tracked tracked = messages.get(seq);
    if (tracked != null) {
      tracked.accepted = true;
    }
  }

  /** A (user, channel) subscription as one number, for the sets of proven subscriptions. */
  static long key(int user, int channel) {
    return ((long) user << 32) | channel;
  }

  /**
   * What the sockets hear: a warm-up message proves the (user, channel) subscription in {@code ready}; a message of
   * this run counts as an arrival.
   */
  SocketFleet.EventSink sink(Set<Long> ready) {
    return (user, event, arrivalNanos) -> {
      if (!"new_message".equals(event.getString("type")) || event.getJsonObject("message") == null) {
        return;
      }
      String content = event.getJsonObject("message").getString("content");
      int warmChannel = warmupChannel(content);
      if (warmChannel >= 0) {
        ready.add(key(user, warmChannel));
      } else {
        arrived(user, content, arrivalNanos);
      }
    };
  }

  /** A {@code new_message} event's content arrived at {@code user}'s socket. */
  void arrived(int user, String content, long arrivalNanos) {
    long seq = sequenceOf(content);
    Tracked tracked = seq < 0 ? null : messages.get(seq);
    if (tracked == null) {
      return;
    }
    boolean first;
    synchronized (tracked) {
      first = !tracked.seenBy.get(user);
      tracked.seenBy.set(user);
    }
    if (first) {
      metrics.delivered.increment();
      fanout.recordNanos(arrivalNanos - tracked.dueNanos);
      if (nodeOf != null) {
        boolean same = nodeOf.applyAsInt(user) == nodeOf.applyAsInt(tracked.sender);
        (same ? sameNode : crossNode).recordNanos(arrivalNanos - tracked.dueNanos);
      }
    } else {
      metrics.duplicates.increment();
    }
  }

  private long sequenceOf(String content) {
    if (content == null || !content.startsWith(prefix)) {
      return -1;
    }
    int end = content.indexOf(' ', prefix.length());
    String number = content.substring(prefix.length(), end < 0 ? content.length() : end);
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Copies owed to ready subscribers and not seen yet. */
  long missing(Membership membership, BiPredicate<Integer, Integer> ready) {
    return summary(membership, ready).getLong("lost");
  }

  /**
   * Expected copies: for every accepted message, each member whose socket was ready for that channel.
   * {@code ready.test(user, channel)} says which.
   */
  JsonObject summary(Membership membership, BiPredicate<Integer, Integer> ready) {
    long expected = 0;
    long deliveredExpected = 0;
    long unexpected = 0;
    for (Tracked tracked : messages.values()) {
      BitSet seen;
      synchronized (tracked) {
        seen = (BitSet) tracked.seenBy.clone();
      }
      for (int member : membership.membersOf(tracked.channel)) {
        boolean wanted = tracked.accepted && ready.test(member, tracked.channel);
        if (wanted) {
          expected++;
          if (seen.get(member)) {
            deliveredExpected++;
          }
        } else if (seen.get(member)) {
          unexpected++;
        }
      }
    }
    long lost = expected - deliveredExpected;
    return new JsonObject().put("expected", expected).put("delivered", metrics.delivered.sum())
        .put("lost", lost).put("duplicates", metrics.duplicates.sum())
        .put("sends_retried", metrics.retried.sum()).put("sends_replayed", metrics.replayed.sum())
        .put("loss_rate", expected == 0 ? 0.0 : (double) lost / expected)
        .put("delivered_beyond_expected", unexpected);
  }
}
