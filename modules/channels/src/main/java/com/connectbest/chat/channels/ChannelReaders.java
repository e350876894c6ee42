package com.connectbest.chat.channels;

import io.vertx.core.Future;
import java.time.Instant;
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
 * <p>How it stays correct: this instance's own writes (join, leave, read marker) drop the channel's entry at once;
 * writes made through another channels instance, or an instance that was paused, are not announced at all, so an
 * entry is trusted for {@link #ttlMs} only and a read count lags the store by at most that long. Nothing but read
 * counts reads this cache: permissions are always answered by the store. A load that started before a drop is not
 * kept after it.
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
  private int positions;
  /** Bumped by every drop, so that a load that started before it is not kept after it. */
  private long generation;

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
    long asked = generation;
    return load.get().onSuccess(readers -> {
      if (asked == generation && weight(readers) <= maxPositions) {
        drop(channelId);
        entries.put(channelId, new Entry(readers, clock.getAsLong() + ttlMs));
        positions += weight(readers);
        evict();
      }
    });
  }

  /** Forgets the channel (a membership or read position of it was written through this instance). */
  void invalidate(String channelId) {
    generation++;
    drop(channelId);
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
