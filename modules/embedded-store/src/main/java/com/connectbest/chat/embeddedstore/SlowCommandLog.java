package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's slow-operation log, as MongoDB's {@code slowms}: a command that took longer than the threshold
 * to run (for a write: to apply, not to wait for its group commit) is logged with its collection, its shape (field
 * names and operators, no values) and the documents it answered. One line per shape per {@link #QUIET_MS} at most,
 * with how many more there were, so an overloaded store cannot flood the log.
 */
public final class SlowCommandLog {

  private static final Logger LOG = LoggerFactory.getLogger(SlowCommandLog.class);
  /** MongoDB's default {@code slowms}. */
  public static final long DEFAULT_THRESHOLD_MS = 100;
  static final long QUIET_MS = 10_000;

  private record Quiet(long until, LongAdder suppressed) {
  }

  private final long thresholdNanos;
  private final LongSupplier clockMs;
  private final Consumer<String> sink;
  private final LongAdder slow = new LongAdder();
  private final Map<String, Quiet> quiet = new ConcurrentHashMap<>();

  /** A threshold of 0 or less turns the log off. */
  public SlowCommandLog(long thresholdMs) {
    this(thresholdMs, System::currentTimeMillis, LOG::warn);
  }

  SlowCommandLog(long thresholdMs, LongSupplier clockMs, Consumer<String> sink) {
    this.thresholdNanos = thresholdMs <= 0 ? Long.MAX_VALUE : thresholdMs * 1_000_000;
    this.clockMs = clockMs;
    this.sink = sink;
  }

  /** Logs the command if it took longer than the threshold. */
  void record(String database, String command, Document query, Document reply, long nanos) {
    if (nanos < thresholdNanos) {
      return;
    }
    slow.increment();
    String shape = command + " " + database + "." + query.get(command) + " " + shape(command, query);
    long now = clockMs.getAsLong();
    Quiet previous = quiet.get(shape);
    if (previous != null && previous.until() > now) {
      previous.suppressed().increment();
      return;
    }
    quiet.put(shape, new Quiet(now + QUIET_MS, new LongAdder()));
    long more = previous == null ? 0 : previous.suppressed().sum();
    sink.accept("Slow store command, " + nanos / 1_000_000 + " ms: " + shape + " -> " + answered(reply) + " documents"
        + (more == 0 ? "" : " (" + more + " more of this shape in the " + QUIET_MS / 1000 + " s before)"));
  }

  /** Commands slower than the threshold so far. */
  public long count() {
    return slow.sum();
  }

  /** The parts of a command that decide its cost, with their values left out. */
  static String shape(String command, Document query) {
    StringBuilder shape = new StringBuilder();
    for (String part : List.of("filter", "query", "q", "sort", "pipeline", "updates", "deletes")) {
      Object value = query.get(part);
      if (value != null && !(value instanceof Document document && document.isEmpty())) {
        shape.append(shape.isEmpty() ? "" : " ").append(part).append(' ').append(QueryShape.of(value));
      }
    }
    return shape.toString();
  }

  private static int answered(Document reply) {
    if (reply != null && reply.get("cursor") instanceof Document cursor
        && cursor.get("firstBatch") instanceof List<?> batch) {
      return batch.size();
    }
    return reply != null && reply.get("n") instanceof Number n ? n.intValue() : 0;
  }
}
