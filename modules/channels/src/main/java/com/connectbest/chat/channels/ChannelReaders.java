package com.connectbest.chat.channels;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Per channel, its members' read positions (by member, and in ascending order), for the read counts of history
 * pages: every page of a company-wide channel needs the positions of thousands of members, so they are read from the
 * store once per {@link #ttlMs}, not once per page. Per channels instance, on its event loop; bounded by the number
 * of positions held ({@link #maxPositions}, least recently used channels go first), not by the memberships stored.
 *
 * <p>How it stays correct: this instance's own joins and leaves drop the channel's entry at once, and its read
 * markers move the member's position in the entry (a member's first position, or a failed write, drops it); writes
 * made through another channels instance, or an instance that was paused, are not announced at all, so an entry is
 * trusted for {@link #ttlMs} only and a read count lags the store by at most that long. Nothing but read counts reads
 * this cache: permissions are always answered by the store. A load that started before a drop or a move is not kept
 * after it, and concurrent pages of one channel share one load.
 *
 * <p>Why moves rather than drops: in a team's company channel read markers arrive every few milliseconds, and
 * dropping the entry for each made every history page reload thousands of positions (benchmark 7 on the durable
 * store: a quarter of the CPU in those reads and a third in garbage collection; docs/performance.md).
 */
final class ChannelReaders {

  /** The members' positions: by member (members who never read are absent), and sorted. Not to be changed. */
  record Readers(Map<String, Instant> byMember, Instant[] sorted) {
  }

  private record Entry(Readers readers, long expiresAt) {
  }

  private final long ttlMs;
  private final int maxPositions;
  private final LongSupplier clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  /**
   * Loads in flight, shared by the pages that ask meanwhile. A drop or a move forgets the channel's load, and only a
   * load still registered here when it ends is kept, so one that started before a local write is never kept after it.
   */
  private final Map<String, Future<Readers>> loading = new HashMap<>();
  private int positions;

  ChannelReaders(long ttlMs, int maxPositions, LongSupplier clock) {
    this.ttlMs = ttlMs;
    this.maxPositions = maxPositions;
    this.clock = clock;
  }

  /** The channel's readers, from the cache while fresh, else from {@code load}. */
  Future<Readers> get(String channelId, Supplier<Future<Readers>> load) {
    Entry entry = entries.get(channelId);
    if (entry != null && entry.expiresAt > clock.getAsLong()) {
      return Future.succeededFuture(entry.readers);
    }
    Future<Readers> shared = loading.get(channelId);
    if (shared != null) {
      return shared;
    }
    Future<Readers> loaded = load.get();
    loading.put(channelId, loaded);
    return loaded.onComplete(done -> {
      if (loading.remove(channelId, loaded) && done.succeeded() && weight(done.result()) <= maxPositions) {
        drop(channelId);
        entries.put(channelId, new Entry(done.result(), clock.getAsLong() + ttlMs));
        positions += weight(done.result());
        evict();
      }
    });
  }

  /** Forgets the channel (a membership of it changed, or a write of it failed, through this instance). */
  void invalidate(String channelId) {
    loading.remove(channelId);
    drop(channelId);
  }

  /**
   * A member's read position was written through this instance: the entry moves it, keeping its expiry. A member
   * without a position in the entry (a first read, or someone the load did not count as a member) drops it instead.
   */
  void moved(String channelId, String userId, Instant at) {
    loading.remove(channelId);
    Entry entry = entries.get(channelId);
    Instant before = entry == null ? null : entry.readers.byMember().get(userId);
    if (before == null) {
      drop(channelId);
      return;
    }
    Map<String, Instant> byMember = new HashMap<>(entry.readers.byMember());
    byMember.put(userId, at);
    Instant[] sorted = entry.readers.sorted().clone();
    int from = Arrays.binarySearch(sorted, before);
    int to = Arrays.binarySearch(sorted, at);
    to = to < 0 ? -to - 1 : to;
    // Shift the positions between the old and the new place by one, then put the new one there.
    if (to > from) {
      System.arraycopy(sorted, from + 1, sorted, from, to - 1 - from);
      sorted[to - 1] = at;
    } else {
      System.arraycopy(sorted, to, sorted, to + 1, from - to);
      sorted[to] = at;
    }
    entries.put(channelId, new Entry(new Readers(byMember, sorted), entry.expiresAt));
  }

  int positions() {
    return positions;
  }

  private void drop(String channelId) {
    Entry removed = entries.remove(channelId);
    if (removed != null) {
      positions -= weight(removed.readers);
    }
  }

  /** An entry costs its positions, and one more so that channels nobody read are bounded too. */
  private static int weight(Readers readers) {
    return readers.sorted().length + 1;
  }

  private void evict() {
    Iterator<Entry> eldest = entries.values().iterator();
    while (positions > maxPositions && eldest.hasNext()) {
      positions -= weight(eldest.next().readers);
      eldest.remove();
    }
  }
}
