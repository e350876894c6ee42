package com.connectbest.chat.messages;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.types.ObjectId;

/**
 * Puts a channel's (or, in a second instance, a user's) live events in {@code seq} order on this node. Each event
 * takes a {@link Ticket} when it is about to be written; tickets of a channel get their seqs in the order they were
 * taken (one store round trip per
 * batch of waiting tickets: while an allocation is in flight, new tickets wait for the next one), and a new
 * message's id is made when its ticket is taken, so on one node id order (what a history reload sorts by) equals
 * seq order. Events are published in ticket order: an event that is ready waits for the tickets before it.
 *
 * <p>The bounded wait: a ticket that is not settled (its event ready, or given up) {@link #maxWaitMs} after it was
 * taken stops holding back the ones behind it; its event is then published whenever it is ready, out of order, and
 * a client that sees a seq lower than one it already has fills nothing in (it already resumed past it, or
 * {@code listChannelEvents} gives it). Several nodes each publish their own events in order; events of one
 * channel written at the same moment on two nodes may interleave on the wire, and clients sort by {@code seq}.
 * All state is on the verticle's event loop (one messages verticle per node); a lane is dropped once empty.
 */
final class ChannelSequencer {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChannelSequencer.class);

  /** One event's place in its channel's order. */
  final class Ticket {
    private final Lane lane;
    private final String messageId = new ObjectId().toHexString();
    private final Promise<Long> seq = Promise.promise();
    private final Promise<Void> published = Promise.promise();
    private final long takenAt = System.currentTimeMillis();
    private long corrections;
    private JsonObject event;
    private boolean settled;
    private boolean passed;

    private Ticket(Lane lane) {
      this.lane = lane;
    }

    /** The id a new message written under this ticket gets, made in ticket order. */
    String messageId() {
      return messageId;
    }

    String channelId() {
      return lane.channelId;
    }

    Future<Long> seq() {
      return seq.future();
    }

    /**
     * How many times an audit had corrected the channel's figures when this ticket's seq was allocated (known once
     * {@link #seq()} is): the ticket's counted write is made only if it is still that many (CounterStore#sent).
     */
    long corrections() {
      return corrections;
    }

    /** The event is written: it is published once every ticket before it is settled (or the wait ran out). */
    void ready(JsonObject readyEvent) {
      if (settled) {
        return;
      }
      settled = true;
      event = readyEvent;
      if (passed) {
        publish(this);
      } else {
        drain(lane);
      }
    }

    /** Nothing will be published under this ticket (the write failed, or was a replay). */
    void abandon() {
      if (!settled) {
        settled = true;
        published.tryComplete();
        drain(lane);
      }
    }
  }

  private final class Lane {
    private final String channelId;
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private final List<Ticket> unnumbered = new ArrayList<>();
    private boolean allocating;
    private long timer = -1;

    private Lane(String channelId) {
      this.channelId = channelId;
    }
  }

  private final Vertx vertx;
  private final EventLog log;
  private final Function<String, String> address;
  private final long maxWaitMs;
  private final Map<String, Lane> lanes = new HashMap<>();

  /** {@code address}: where a channel's (user's) events are published, e.g. {@code Addresses::channel}. */
  ChannelSequencer(Vertx vertx, EventLog log, Function<String, String> address, long maxWaitMs) {
    this.vertx = vertx;
    this.log = log;
    this.address = address;
    this.maxWaitMs = maxWaitMs;
  }

  /** A place for the next event of a channel. */
  Ticket take(String channelId) {
    Lane lane = lanes.computeIfAbsent(channelId, Lane::new);
    Ticket ticket = new Ticket(lane);
    lane.queue.add(ticket);
    lane.unnumbered.add(ticket);
    allocate(lane);
    return ticket;
  }

  /**
   * Numbers, logs and publishes an event under a ticket. If no seq can be allocated, the event is still published
   * live, without a seq (clients cannot resume it); if it cannot be logged, it is published with its seq.
   */
  Future<Void> emit(Ticket ticket, JsonObject event) {
    return emit(ticket, event, true);
  }

  /**
   * As {@link #emit(Ticket, JsonObject)}, for an event whose record is already stored under its seq (a new message:
   * {@link MessageEntries} makes the event from it again): not logged, so its durable write is only the barrier that
   * makes the staged record durable.
   */
  Future<Void> emitRecorded(Ticket ticket, JsonObject event) {
    return emit(ticket, event, false);
  }

  private Future<Void> emit(Ticket ticket, JsonObject event, boolean logged) {
    Promise<Void> durable = Promise.promise();
    ticket.seq()
        .compose(seq -> {
          event.put("seq", seq);
          return logged ? log.append(ticket.channelId(), seq, event) : log.barrier();
        })
        .onComplete(done -> {
          if (done.failed()) {
            LOG.warn("A channel event was not logged or made durable: {}", done.cause().getMessage());
            // That write was the durable one: the writes staged before it still have to be made durable.
            log.barrier().onComplete(durable);
          } else {
            durable.complete();
          }
          if (event.getValue("seq") == null) {
            LOG.warn("A channel event is published without a seq");
          }
          ticket.ready(event);
        });
    // The request answers once its event is published and its writes are durable; if they could not be made
    // durable, it fails (its client retries; an idempotency key makes that safe).
    return Future.all(ticket.published.future(), durable.future()).mapEmpty();
  }

  private void allocate(Lane lane) {
    if (lane.allocating || lane.unnumbered.isEmpty()) {
      return;
    }
    List<Ticket> batch = new ArrayList<>(lane.unnumbered);
    lane.unnumbered.clear();
    lane.allocating = true;
    log.allocate(lane.channelId, batch.size()).onComplete(done -> {
      lane.allocating = false;
      if (done.succeeded()) {
        long first = done.result().last() - batch.size() + 1;
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).corrections = done.result().corrections();
          batch.get(i).seq.complete(first + i);
        }
      } else {
        batch.forEach(ticket -> ticket.seq.fail(done.cause()));
      }
      allocate(lane);
    });
  }

  private void drain(Lane lane) {
    while (!lane.queue.isEmpty() && lane.queue.peek().settled) {
      Ticket head = lane.queue.poll();
      if (head.event != null) {
        publish(head);
      }
    }
    if (lane.timer >= 0) {
      vertx.cancelTimer(lane.timer);
      lane.timer = -1;
    }
    if (lane.queue.isEmpty()) {
      if (!lane.allocating && lane.unnumbered.isEmpty()) {
        lanes.remove(lane.channelId, lane);
      }
      return;
    }
    Ticket head = lane.queue.peek();
    long wait = Math.max(1, head.takenAt + maxWaitMs - System.currentTimeMillis());
    lane.timer = vertx.setTimer(wait, id -> {
      lane.timer = -1;
      if (lane.queue.peek() == head && !head.settled) {
        LOG.warn("A channel event was not written within {} ms; later events of its channel go first", maxWaitMs);
        lane.queue.poll();
        head.passed = true;
      }
      drain(lane);
    });
  }

  private void publish(Ticket ticket) {
    vertx.eventBus().publish(address.apply(ticket.channelId()), ticket.event);
    ticket.published.tryComplete();
  }
}
