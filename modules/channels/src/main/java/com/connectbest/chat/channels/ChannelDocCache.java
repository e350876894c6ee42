package com.connectbest.chat.channels;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Channels by id as lists show them ({@link ListedChannel}), for channel lists: every member of a team lists the same
 * few channels, and reading their documents from the store, then making their views, was a third of a list's CPU
 * (docs/performance.md). Per channels instance, on its event loop; at most {@link #maxEntries} channels, the least
 * recently used going first.
 *
 * <p>How it stays correct: a channel document does not change once created. The API has no rename, archive or
 * delete, and the only removal is the rollback of a creation whose first membership failed ({@link #forget}, at once;
 * no list names such a channel unless that membership was written after all). So no write through any node can make
 * an entry wrong, and there is no event to lose or to miss while paused. What can change a document is an edit of
 * the store behind the server's back (an operator's script, a migration): entries, and ids the store did not hold,
 * are trusted for {@link #ttlMs} only, the longest such an edit stays unseen in lists. Nothing but channel lists reads
 * this cache: access checks read the store.
 */
final class ChannelDocCache {

  /** A channel as lists show it (shared by every list that shows it), or null for an id the store lacks. */
  private record Entry(ListedChannel channel, long expiresAt) {
  }

  private final long ttlMs;
  private final int maxEntries;
  private final LongSupplier clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  /** Bumped by {@link #forget}: a load that started before a rollback is not kept after it. */
  private long generation;

  ChannelDocCache(long ttlMs, int maxEntries, LongSupplier clock) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /**
   * These channels as lists show them, for those the store holds (by id), from the cache while fresh; the others are
   * read with one {@code load} of their ids, which answers the stored documents it found.
   */
  Future<Map<String, ListedChannel>> get(Collection<String> ids,
                                         Function<List<String>, Future<List<JsonObject>>> load) {
    long now = clock.getAsLong();
    Map<String, ListedChannel> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      Entry entry = entries.get(id);
      if (entry != null && entry.expiresAt > now) {
        if (entry.channel != null) {
          found.put(id, entry.channel);
        }
      } else {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture(found);
    }
    long startedIn = generation;
    return load.apply(missing).map(docs -> {
      Map<String, ListedChannel> loaded = new HashMap<>();
      docs.forEach(doc -> {
        ListedChannel channel = ListedChannel.of(doc);
        loaded.put(channel.id(), channel);
      });
      boolean keep = startedIn == generation;
      long expiresAt = clock.getAsLong() + ttlMs;
      for (String id : missing) {
        ListedChannel channel = loaded.get(id);
        if (channel != null) {
          found.put(id, channel);
        }
        if (keep) {
          entries.put(id, new Entry(channel, expiresAt));
        }
      }
      evict();
      return found;
    });
  }

  /** Forgets a channel whose creation was rolled back through this instance. */
  void forget(String id) {
    generation++;
    entries.remove(id);
  }

  int size() {
    return entries.size();
  }

  private void evict() {
    Iterator<Entry> eldest = entries.values().iterator();
    while (entries.size() > maxEntries && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }
}
