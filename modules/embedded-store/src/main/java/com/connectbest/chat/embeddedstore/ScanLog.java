package com.connectbest.chat.embeddedstore;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the queries that read a whole collection because no index bounds them, per collection, and remembers the
 * last such query: the embedded store's answer to "which query misses an index" (a real MongoDB's profiler shows
 * {@code COLLSCAN}). Scans of collections larger than {@link #LARGE} are logged once per query shape.
 */
public final class ScanLog {

  private static final Logger LOG = LoggerFactory.getLogger(ScanLog.class);
  static final long LARGE = 10_000;

  private final Map<String, LongAdder> scans = new ConcurrentHashMap<>();
  private final Map<String, String> lastQuery = new ConcurrentHashMap<>();
  private final Map<String, Boolean> warned = new ConcurrentHashMap<>();

  void record(String namespace, String queryShape, long documents) {
    scans.computeIfAbsent(namespace, n -> new LongAdder()).increment();
    lastQuery.put(namespace, queryShape);
    if (documents > LARGE && warned.putIfAbsent(namespace + " " + queryShape, true) == null) {
      LOG.warn("Query on {} reads all {} documents (no index bounds it): {}", namespace, documents, queryShape);
    }
  }

  /** Whole-collection scans so far, by namespace ({@code db.collection}). */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    scans.forEach((namespace, count) -> counts.put(namespace, count.sum()));
    return counts;
  }

  /** The last query that scanned the namespace, with its values left out. */
  public String lastQuery(String namespace) {
    return lastQuery.get(namespace);
  }

  public void reset() {
    scans.clear();
    lastQuery.clear();
  }
}
