package com.connectbest.chat.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every node's recent samples, a bounded ring per node (the newest last); the cluster view of the figures. */
final class SampleBook {

  private final Map<String, Deque<Sample>> rings = new ConcurrentHashMap<>();
  private final int capacity;
  private final long intervalMs;

  SampleBook(long intervalMs, long historyMs) {
    this.intervalMs = intervalMs;
    this.capacity = (int) Math.max(1, historyMs / intervalMs);
  }

  long intervalMs() {
    return intervalMs;
  }

  synchronized void add(Sample sample) {
    Deque<Sample> ring = rings.computeIfAbsent(sample.nodeId(), id -> new ArrayDeque<>());
    ring.addLast(sample);
    while (ring.size() > capacity) {
      ring.removeFirst();
    }
  }

  /** Samples taken in [from, to), all nodes. */
  synchronized List<Sample> between(long from, long to) {
    List<Sample> found = new ArrayList<>();
    rings.values().forEach(ring -> ring.stream().filter(s -> s.at() >= from && s.at() < to).forEach(found::add));
    return found;
  }

  /** The newest sample of every node heard from within three intervals. */
  synchronized List<Sample> latestOfLiveNodes(long now) {
    List<Sample> latest = new ArrayList<>();
    rings.values().forEach(ring -> {
      Sample last = ring.peekLast();
      if (last != null && last.at() > now - 3 * intervalMs) {
        latest.add(last);
      }
    });
    return latest;
  }

  /** When the oldest sample still held was taken, or -1 when there is none. */
  synchronized long oldest() {
    return rings.values().stream().filter(r -> !r.isEmpty()).mapToLong(r -> r.peekFirst().at()).min().orElse(-1);
  }
}
