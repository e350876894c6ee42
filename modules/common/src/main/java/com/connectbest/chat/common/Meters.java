package com.connectbest.chat.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The domain meters every module records into, by name. They live in Micrometer's global registry, to which the
 * application adds its Prometheus registry (the one Vert.x reports HTTP, event-bus, pool and JVM metrics to), so
 * that {@code /metrics} shows both and the metrics verticle samples them without knowing who records what.
 */
public final class Meters {

  public static final String MESSAGES_SENT = "chat.messages.sent";
  public static final String EVENTS_DELIVERED = "chat.events.delivered";
  public static final String SOCKJS_SESSIONS = "chat.sockjs.sessions";
  public static final String AUTH_FAILURES = "chat.auth.failures";
  public static final String RATE_LIMITED = "chat.rate.limited";
  /** Requests refused as hostile: forged or foreign tokens, proxy headers from untrusted peers, unsigned envelopes. */
  public static final String REQUESTS_BLOCKED = "chat.requests.blocked";
  /**
   * Service requests refused because the principal's envelope signature is missing, invalid, expired or for another
   * operation (also counted in {@link #REQUESTS_BLOCKED}).
   */
  public static final String ENVELOPES_REFUSED = "chat.envelopes.refused";
  /** Bridge registrations and frames refused (addresses the user may not hear, unknown frames). */
  public static final String BRIDGE_DENIED = "chat.bridge.denied";
  /** SockJS clients disconnected because they stopped reading and their write queue filled up. */
  public static final String BRIDGE_SLOW_CONSUMERS = "chat.bridge.slow.consumers";
  /**
   * Copies of live events the node's bridge sockets are still owed (written a slice per event-loop turn): near 0
   * when the fan-out keeps up; growing means live events are falling behind.
   */
  public static final String BRIDGE_FANOUT_OWED = "chat.bridge.fanout.owed";
  /** Every HTTP response, timed, tagged {@code outcome}: success, client_error or server_error. */
  public static final String HTTP_REQUESTS = "chat.http.requests";

  /** Every response of a contract operation, timed, tagged {@code operation}: see {@link #recordOperation}. */
  public static final String HTTP_OPERATIONS = "chat.http.operations";

  /** The embedded store's writes acknowledged once synced to its file (none with MONGODB_URI). */
  public static final String STORE_DURABLE_WRITES = "chat.store.writes.durable";
  /** The embedded store's writes acknowledged once applied, made durable by the next group commit. */
  public static final String STORE_STAGED_WRITES = "chat.store.writes.staged";
  /** The embedded store's group commits, each one file sync shared by the writes applied before it. */
  public static final String STORE_FILE_SYNCS = "chat.store.file.syncs";
  /** The embedded store's commands slower than EMBEDDED_MONGO_SLOW_MS (each shape logged at most every 10 s). */
  public static final String STORE_SLOW_COMMANDS = "chat.store.commands.slow";
  /** The embedded store's checkpoints, timed by how long each held every writer back (count and sum). */
  public static final String STORE_CHECKPOINTS = "chat.store.checkpoints";
  /** The longest time one checkpoint held the embedded store's writers back, since start. */
  public static final String STORE_CHECKPOINT_LONGEST = "chat.store.checkpoint.longest";

  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static final AtomicLong FANOUT_OWED = new AtomicLong();
  private static final Map<String, Timer> OPERATION_TIMERS = new ConcurrentHashMap<>();
  // Looked up once: a registry lookup builds tags and ids, and EVENTS_DELIVERED counts every copy of every event.
  private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();
  // Composite meters: registries added to the global registry later receive them too.
  private static final Timer HTTP_SUCCESS = httpTimer("success");
  private static final Timer HTTP_CLIENT_ERROR = httpTimer("client_error");
  private static final Timer HTTP_SERVER_ERROR = httpTimer("server_error");

  static {
    registry().gauge(SOCKJS_SESSIONS, SESSIONS);
    registry().gauge(BRIDGE_FANOUT_OWED, FANOUT_OWED);
    // Registered up front so that every counter is scraped (at 0) before it first counts.
    for (String counter : new String[] {MESSAGES_SENT, EVENTS_DELIVERED, AUTH_FAILURES, RATE_LIMITED, REQUESTS_BLOCKED,
        ENVELOPES_REFUSED, BRIDGE_DENIED, BRIDGE_SLOW_CONSUMERS}) {
      COUNTERS.put(counter, registry().counter(counter));
    }
  }

  private Meters() {
  }

  public static MeterRegistry registry() {
    return Metrics.globalRegistry;
  }

  public static void count(String name) {
    count(name, 1);
  }

  /** Adds {@code amount} to a counter (nothing for 0). */
  public static void count(String name, long amount) {
    if (amount > 0) {
      COUNTERS.computeIfAbsent(name, registry()::counter).increment(amount);
    }
  }

  /** The node's owed bridge copies ({@link #BRIDGE_FANOUT_OWED}), moved by each gateway event loop's backlog. */
  public static AtomicLong fanOutOwed() {
    return FANOUT_OWED;
  }

  /** Live SockJS sessions of this process. */
  public static AtomicInteger sockJsSessions() {
    return SESSIONS;
  }

  public static void recordHttp(int status, long nanos) {
    Timer timer = status >= 500 ? HTTP_SERVER_ERROR : status >= 400 ? HTTP_CLIENT_ERROR : HTTP_SUCCESS;
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Timer httpTimer(String outcome) {
    return Timer.builder(HTTP_REQUESTS).tag("outcome", outcome).register(registry());
  }

  /**
   * One response of a contract operation, timed and tagged {@code operation} ({@code "GET /api/..."}, the contract's
   * path template, so the tag has one value per operation however many ids the paths carry).
   */
  public static void recordOperation(String operation, long nanos) {
    OPERATION_TIMERS.computeIfAbsent(operation, name -> Timer.builder(HTTP_OPERATIONS).tag("operation", name)
        .register(registry())).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The current value of a counter (0 when nothing was counted yet). */
  public static double counted(String name) {
    return registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
