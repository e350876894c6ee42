package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Authors as {@code lookupUsers} answers them, kept so that sending and paging do not ask the auth service for the
 * same people again and again. An entry goes when {@code events.user.changed} names the user (a profile or avatar
 * change on any node), after its time to live, or when the cache is full (least recently used first). Confined to
 * the messages verticle's event loop.
 */
final class AuthorCache {

  private record Entry(JsonObject user, long expiresAt) {
  }

  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, Entry> entries;

  AuthorCache(long ttlMs, int maxEntries, LongSupplier clock) {
    this.ttlMs = ttlMs;
    this.clock = clock;
    this.entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  Future<Void> listen(EventBus bus) {
    return bus.<JsonObject>consumer(Addresses.USER_CHANGED, event -> entries.remove(event.body().getString("user_id")))
        .completion();
  }

  /** The cached user, or null when unknown or expired. */
  JsonObject get(String userId) {
    Entry entry = entries.get(userId);
    if (entry == null || entry.expiresAt() <= clock.getAsLong()) {
      return null;
    }
    return entry.user();
  }

  void put(JsonObject user) {
    entries.put(user.getString("id"), new Entry(user, clock.getAsLong() + ttlMs));
  }
}
