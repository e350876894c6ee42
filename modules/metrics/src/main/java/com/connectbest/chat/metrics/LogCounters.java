package com.connectbest.chat.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * This process's warnings and errors as logback writes them (an appender on the root logger, so only lines the
 * configuration lets through count): totals since the process started, and errors grouped by logger and message
 * pattern (the pattern, never the formatted text, so that ids and secrets do not become keys). At most
 * {@value #MAX_KINDS} kinds are kept; later new kinds count under "other".
 */
final class LogCounters extends AppenderBase<ILoggingEvent> {

  static final String NAME = "connectbest-log-counters";
  static final int MAX_KINDS = 200;
  private static final String OTHER = "other";

  /** How often one kind of error was logged, and when first. */
  record Kind(String error, AtomicLong count, Instant firstSeen) {
  }

  private final AtomicLong warnings = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

  /**
   * The counters of this process: attached to logback's root logger on first use (one per process, shared by every
   * metrics verticle in it); when logback is not the SLF4J backend, a detached instance that counts nothing.
   */
  static synchronized LogCounters installed() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return new LogCounters();
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(NAME) instanceof LogCounters existing) {
      return existing;
    }
    LogCounters counters = new LogCounters();
    counters.setName(NAME);
    counters.setContext(context);
    counters.start();
    root.addAppender(counters);
    return counters;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel() == Level.WARN) {
      warnings.incrementAndGet();
    } else if (event.getLevel() == Level.ERROR) {
      errors.incrementAndGet();
      String logger = event.getLoggerName();
      String error = logger.substring(logger.lastIndexOf('.') + 1) + ": " + event.getMessage();
      String key = kinds.containsKey(error) || kinds.size() < MAX_KINDS ? error : OTHER;
      kinds.computeIfAbsent(key, k -> new Kind(k, new AtomicLong(), Instant.now())).count().incrementAndGet();
    }
  }

  long warnings() {
    return warnings.get();
  }

  long errors() {
    return errors.get();
  }

  /** The most frequent kinds of error: {@code [{error, count, firstSeen}]}. */
  JsonArray topErrors(int limit) {
    JsonArray top = new JsonArray();
    kinds.values().stream()
        .sorted(Comparator.comparingLong((Kind kind) -> kind.count().get()).reversed())
        .limit(limit)
        .forEach(kind -> top.add(new JsonObject().put("error", kind.error()).put("count", kind.count().get())
            .put("firstSeen", kind.firstSeen().toString())));
    return top;
  }
}
