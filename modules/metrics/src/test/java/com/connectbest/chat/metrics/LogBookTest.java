package com.connectbest.chat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cluster's log figures: the newest snapshot of each live node, summed. */
class LogBookTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final long TTL = 30_000;

  private static LogSnapshot node(String id, long at, long errors, long warnings, long kindCount, long calls,
                                  double totalMs, double maxMs) {
    return new LogSnapshot(id, at, errors, warnings,
        List.of(new LogSnapshot.ErrorKind("Store: write failed", kindCount, "2026-01-0" + (id.equals("a") ? 2 : 1)
            + "T00:00:00Z")),
        List.of(new LogSnapshot.OperationTime("sendMessage", calls, totalMs, maxMs)));
  }

  @Test
  @DisplayName("the nodes' newest totals are summed: a later snapshot replaces the earlier one, a late one is ignored")
  void sumsNewestPerNode() {
    LogBook book = new LogBook(TTL);
    book.add(node("b", NOW - 2_000, 1, 1, 1, 10, 100, 20));
    book.add(node("b", NOW - 1_000, 3, 2, 3, 20, 400, 50));
    book.add(node("b", NOW - 1_500, 2, 2, 2, 15, 200, 30));
    LogSnapshot own = node("a", NOW, 5, 1, 4, 30, 300, 90);
    book.add(node("a", NOW - 5_000, 100, 100, 100, 100, 100, 100));
    LogSnapshot cluster = LogBook.sum(book.live(own, NOW), NOW);
    assertEquals(8, cluster.errors(), "3 from b's newest, 5 from this node's live figures");
    assertEquals(3, cluster.warnings());
    assertEquals(List.of(new LogSnapshot.ErrorKind("Store: write failed", 7, "2026-01-01T00:00:00Z")), cluster.kinds());
    assertEquals(List.of(new LogSnapshot.OperationTime("sendMessage", 50, 700, 90)), cluster.operations());
  }

  @Test
  @DisplayName("a node silent for longer than the TTL drops out of the sum and counts again, once, when it is back")
  void silentNodesAgeOut() {
    LogBook book = new LogBook(TTL);
    LogSnapshot own = node("a", NOW, 5, 0, 0, 1, 1, 1);
    book.add(node("b", NOW - TTL - 1, 7, 0, 0, 1, 1, 1));
    assertEquals(5, LogBook.sum(book.live(own, NOW), NOW).errors(), "b paused or gone");
    book.add(node("b", NOW - 10, 9, 0, 0, 1, 1, 1));
    assertEquals(14, LogBook.sum(book.live(own, NOW), NOW).errors(), "b back with its totals");
  }

  @Test
  @DisplayName("snapshots survive their trip over the event bus as JSON")
  void jsonRoundTrip() {
    LogSnapshot snapshot = node("b", NOW, 3, 2, 3, 20, 400.5, 50.25);
    assertEquals(snapshot, LogSnapshot.fromJson(snapshot.toJson()));
  }
}
