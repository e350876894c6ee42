package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Meters;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FanOutBacklogTest {

  /** What each socket received, in order, as "address:frame". */
  private final Map<String, List<String>> received = new LinkedHashMap<>();
  /** Sockets that left an address (socket + "@" + address) before their copy was written. */
  private final Set<String> left = new HashSet<>();
  /** The turns the backlog asked for, run by hand: the event loop's timer in production. */
  private final ArrayDeque<Runnable> turns = new ArrayDeque<>();
  private final List<Integer> writtenPerTurn = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();

  @BeforeAll
  static void countMeters() {
    Metrics.addRegistry(new SimpleMeterRegistry());
  }

  private FanOutBacklog<String> backlog(int slice) {
    return new FanOutBacklog<>(slice, 1_000, nanos::get, (socket, address, frame) -> {
      if (left.contains(socket + "@" + address)) {
        return false;
      }
      received.computeIfAbsent(socket, s -> new ArrayList<>()).add(address + ":" + frame);
      return true;
    }, turns::add);
  }

  private int copies() {
    return received.values().stream().mapToInt(List::size).sum();
  }

  private void runTurns() {
    while (!turns.isEmpty()) {
      int before = copies();
      turns.poll().run();
      writtenPerTurn.add(copies() - before);
    }
  }

  private static List<String> sockets(int count) {
    List<String> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sockets.add("s" + i);
    }
    return sockets;
  }

  @Test
  @DisplayName("with nothing owed, an event within one slice is written at once, without waiting for a turn")
  void smallEventAtOnce() {
    FanOutBacklog<String> backlog = backlog(128);
    backlog.add("a", Buffer.buffer("1"), sockets(3));
    assertEquals(3, copies());
    assertTrue(turns.isEmpty(), "no turn asked for");
    assertEquals(0, backlog.owedCopies());
  }

  @Test
  @DisplayName("an event for more sockets than a slice is written a slice per turn, each copy once, the rest left to later turns")
  void largeEventInSlices() {
    long nodeOwed = Meters.fanOutOwed().get();
    FanOutBacklog<String> backlog = backlog(3);
    backlog.add("a", Buffer.buffer("1"), sockets(8));
    assertEquals(3, copies(), "the first slice is written at once");
    assertEquals(5, backlog.owedCopies());
    assertEquals(nodeOwed + 5, Meters.fanOutOwed().get(), "the node's gauge shows what is owed");
    assertEquals(1, turns.size(), "one turn asked for, not one per copy");
    runTurns();
    assertEquals(List.of(3, 2), writtenPerTurn);
    assertEquals(8, received.size());
    received.values().forEach(frames -> assertEquals(List.of("a:1"), frames));
    assertEquals(0, backlog.owedCopies());
    assertEquals(nodeOwed, Meters.fanOutOwed().get());
  }

  @Test
  @DisplayName("events that arrive while copies are owed wait behind them: each socket gets every address's events in arrival order")
  void arrivalOrderKept() {
    FanOutBacklog<String> backlog = backlog(2);
    List<String> channel = sockets(5);
    backlog.add("channel", Buffer.buffer("1"), channel);
    backlog.add("user-s4", Buffer.buffer("2"), List.of("s4")); // s4's copy of event 1 is still owed
    backlog.add("channel", Buffer.buffer("3"), channel);
    assertEquals(1, turns.size(), "a turn is asked for once while copies are owed");
    runTurns();
    assertEquals(List.of("channel:1", "user-s4:2", "channel:3"), received.get("s4"));
    for (String socket : List.of("s0", "s1", "s2", "s3")) {
      assertEquals(List.of("channel:1", "channel:3"), received.get(socket), socket);
    }
    assertEquals(List.of(2, 2, 2, 2, 1), writtenPerTurn.subList(0, writtenPerTurn.size()),
        "slices span events: a turn finishes one event and starts the next");
  }

  @Test
  @DisplayName("an event owed longer than the maximum lag is written in full in the next turn; later events stay sliced")
  void overdueWrittenInFull() {
    FanOutBacklog<String> backlog = backlog(2);
    backlog.add("a", Buffer.buffer("1"), sockets(10));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_500)); // the loop was busy elsewhere
    backlog.add("b", Buffer.buffer("2"), sockets(5));
    runTurns();
    assertEquals(List.of(8, 2, 2, 1), writtenPerTurn, "a's last 8 copies at once, then b two at a time");
    received.values().forEach(frames -> assertTrue(frames.indexOf("a:1") < frames.indexOf("b:2") || !frames.contains("b:2")));
    assertEquals(15, copies());
  }

  @Test
  @DisplayName("a socket that leaves the address before its copy is written gets none, and only written copies are counted")
  void leaversSkipped() {
    FanOutBacklog<String> backlog = backlog(2);
    double before = Meters.counted(Meters.EVENTS_DELIVERED);
    backlog.add("a", Buffer.buffer("1"), sockets(5));
    left.add("s3@a");
    runTurns();
    assertEquals(Set.of("s0", "s1", "s2", "s4"), received.keySet());
    assertEquals(before + 4, Meters.counted(Meters.EVENTS_DELIVERED));
  }

  @Test
  @DisplayName("a slice below one copy is refused at construction")
  void sliceAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> backlog(0));
  }
}
