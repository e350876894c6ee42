package com.connectbest.chat.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest {@link LogSnapshot} of every node, summed into the cluster's figures. Snapshots are totals, so each
 * replaces its node's previous one: a lost snapshot only leaves that node's figures one interval older. A node not
 * heard from within {@code ttlMs} (stopped, crashed, paused, partitioned) is left out until it publishes again, and
 * then counts with its totals, never twice. A node that restarts comes back under a new id with fresh totals.
 */
final class LogBook {

  private final Map<String, LogSnapshot> latest = new ConcurrentHashMap<>();
  private final long ttlMs;

  LogBook(long ttlMs) {
    this.ttlMs = ttlMs;
  }

  void add(LogSnapshot snapshot) {
    latest.merge(snapshot.nodeId(), snapshot, (old, now) -> now.at() >= old.at() ? now : old);
  }

  /** The snapshots of the nodes heard from within the TTL, this node's own figures ({@code own}) taking its place. */
  List<LogSnapshot> live(LogSnapshot own, long now) {
    latest.values().removeIf(snapshot -> snapshot.at() <= now - ttlMs);
    List<LogSnapshot> live = new ArrayList<>(latest.values().stream()
        .filter(snapshot -> !snapshot.nodeId().equals(own.nodeId())).toList());
    live.add(own);
    return live;
  }

  /** The sum over nodes: errors and warnings, error kinds merged by text, operation timers merged by name. */
  static LogSnapshot sum(List<LogSnapshot> nodes, long now) {
    long errors = 0;
    long warnings = 0;
    Map<String, LogSnapshot.ErrorKind> kinds = new HashMap<>();
    Map<String, LogSnapshot.OperationTime> operations = new HashMap<>();
    for (LogSnapshot node : nodes) {
      errors += node.errors();
      warnings += node.warnings();
      node.kinds().forEach(kind -> kinds.merge(kind.error(), kind, (a, b) -> new LogSnapshot.ErrorKind(a.error(),
          a.count() + b.count(), earlier(a.firstSeen(), b.firstSeen()))));
      node.operations().forEach(operation -> operations.merge(operation.operation(), operation,
          (a, b) -> new LogSnapshot.OperationTime(a.operation(), a.count() + b.count(), a.totalMs() + b.totalMs(),
              Math.max(a.maxMs(), b.maxMs()))));
    }
    return new LogSnapshot("cluster", now, errors, warnings,
        kinds.values().stream().sorted(Comparator.comparingLong(LogSnapshot.ErrorKind::count).reversed()).toList(),
        operations.values().stream().sorted(Comparator.comparingDouble(
            (LogSnapshot.OperationTime operation) -> operation.totalMs() / operation.count()).reversed()).toList());
  }

  private static String earlier(String a, String b) {
    try {
      return Instant.parse(a).isAfter(Instant.parse(b)) ? b : a;
    } catch (RuntimeException e) {
      return a == null ? b : a;
    }
  }
}
