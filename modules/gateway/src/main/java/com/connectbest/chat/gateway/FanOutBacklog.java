package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Meters;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The copies of events one bridge instance still has to write, written at most {@code slice} per event-loop turn.
 *
 * <p>A post to a channel with thousands of sockets on this node is thousands of socket writes (each a system call,
 * 40-70 µs on loopback): written in one go, it holds the event loop for a third of a second or more, and every
 * HTTP request, bus reply and service on that loop waits behind it. Written in slices, with the loop's other work
 * run between them ({@code later} resumes on a timer, which the loop runs only after its pending I/O), a request
 * waits at most one slice. Events are written strictly in arrival order, across addresses as well, so a socket
 * gets its events in the order the node received them, as before; an event that arrives while copies are owed
 * waits behind them, so it never overtakes.
 *
 * <p>Under overload the slices would let requests (posts among them) outrun the fan-out, and live copies would fall
 * further and further behind. So an event owed for longer than {@code maxLag} is written in full in the turn that
 * finds it so: the loop then serves the fan-out first, as it did before slicing, and the requests that feed it slow
 * down instead. Confined to the instance's event loop.
 *
 * @param <T> a socket
 */
final class FanOutBacklog<T> {

  /** Writes one copy if the socket still holds the address; false when nothing was written. */
  @FunctionalInterface
  interface Writer<T> {
    boolean write(T socket, String address, Buffer frame);
  }

  private static final class Pending<T> {
    final String address;
    final Buffer frame;
    final List<T> sockets;
    final long arrivedNanos;
    int next;

    Pending(String address, Buffer frame, List<T> sockets, long arrivedNanos) {
      this.address = address;
      this.frame = frame;
      this.sockets = sockets;
      this.arrivedNanos = arrivedNanos;
    }
  }

  private final int slice;
  private final long maxLagNanos;
  private final LongSupplier nanoClock;
  private final Writer<T> writer;
  private final Consumer<Runnable> later;
  private final ArrayDeque<Pending<T>> owed = new ArrayDeque<>();
  private boolean resumeScheduled;

  /**
   * @param slice  at most this many copies per turn, unless they are overdue
   * @param maxLag how long an event may be owed before it is written without yielding (ms)
   * @param later  runs the next slice after the loop's pending I/O (a timer, not {@code runOnContext}: Netty runs
   *               tasks queued by a task in the same pass, before any I/O)
   */
  FanOutBacklog(int slice, long maxLag, LongSupplier nanoClock, Writer<T> writer, Consumer<Runnable> later) {
    if (slice < 1) {
      throw new IllegalArgumentException("slice must be at least 1");
    }
    this.slice = slice;
    this.maxLagNanos = maxLag * 1_000_000L;
    this.nanoClock = nanoClock;
    this.writer = writer;
    this.later = later;
  }

  /**
   * Owes this frame to these sockets (the address's subscribers when the event arrived; a socket that leaves the
   * address before its copy is written gets none). With nothing owed, the first slice is written at once.
   */
  void add(String address, Buffer frame, List<T> sockets) {
    if (sockets.isEmpty()) {
      return;
    }
    owed.add(new Pending<>(address, frame, sockets, nanoClock.getAsLong()));
    Meters.fanOutOwed().addAndGet(sockets.size());
    if (!resumeScheduled) {
      writeSlice();
    }
  }

  /** Copies still owed by this loop, a test hook (the node's sum is the {@link Meters#BRIDGE_FANOUT_OWED} gauge). */
  long owedCopies() {
    long copies = 0;
    for (Pending<T> pending : owed) {
      copies += pending.sockets.size() - pending.next;
    }
    return copies;
  }

  private void writeSlice() {
    resumeScheduled = false;
    int budget = slice;
    int written = 0;
    long done = 0;
    long overdueBefore = nanoClock.getAsLong() - maxLagNanos;
    while (!owed.isEmpty()) {
      Pending<T> pending = owed.peek();
      boolean overdue = pending.arrivedNanos - overdueBefore < 0;
      if (budget <= 0 && !overdue) {
        break;
      }
      int end = overdue ? pending.sockets.size() : Math.min(pending.sockets.size(), pending.next + budget);
      for (int i = pending.next; i < end; i++) {
        if (writer.write(pending.sockets.get(i), pending.address, pending.frame)) {
          written++;
        }
      }
      budget -= end - pending.next;
      done += end - pending.next;
      pending.next = end;
      if (end == pending.sockets.size()) {
        owed.poll();
      }
    }
    Meters.fanOutOwed().addAndGet(-done);
    if (written > 0) {
      Meters.count(Meters.EVENTS_DELIVERED, written); // once per slice, not per copy
    }
    if (!owed.isEmpty()) {
      resumeScheduled = true;
      later.accept(this::writeSlice);
    }
  }
}
