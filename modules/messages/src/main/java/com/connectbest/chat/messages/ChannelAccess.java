package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Who may read and write a channel's messages, as the channels service (the owner of membership, which answers
 * from the store) answers {@code checkAccess}. Confined to the owning verticle's event loop, like everything it is
 * called from.
 *
 * <p>Only "is a member" answers are cached, per verticle in a small bounded LRU map, for at most
 * {@link #MAX_TTL_MS}; {@code events.membership.changed} naming the pair (or the whole channel) drops them sooner.
 * How this stays correct when that event is lost, this node was paused, or two nodes changed the channel at once:
 * <ul>
 *   <li>a removal is enforced once the cached "member" answer expires, at most {@link #MAX_TTL_MS} after it was
 *   fetched, whatever events were missed (the bound on stale permissions is 2 s; docs/reliability.md);</li>
 *   <li>a denial (404 unknown channel, 403 not a member) is never cached: each one is the channels service's answer
 *   at that moment, read from the store, so a denial that the store contradicts never outlives the request;</li>
 *   <li>an answer asked for before an invalidation is not cached after it (the generation counter).</li>
 * </ul>
 */
final class ChannelAccess {

  static final String CHANNEL_NOT_FOUND = "Channel not found";
  static final String NOT_A_MEMBER = "Not a member of this channel";
  static final int MAX_ENTRIES = 10_000;
  /** The longest a "member" answer is trusted without an event: 2 s bound minus the time to ask and answer. */
  static final long MAX_TTL_MS = 1_500;

  /** The channels service's answer: type is public|private|dm, memberRole admin|member|null. */
  record Access(boolean exists, String type, boolean member, String memberRole) {

    static Access fromJson(JsonObject json) {
      return new Access(json.getBoolean("exists", false), json.getString("type"), json.getBoolean("member", false),
          json.getString("member_role"));
    }

    boolean canRead() {
      return exists && member;
    }
  }

  private record Entry(Access access, long expiresAt) {
  }

  private final ServiceClient services;
  private final long ttlMs;
  private final LongSupplier clock;
  private final Map<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  /** Bumped by every invalidation, so that an answer requested before it is not cached after it. */
  private long generation;

  ChannelAccess(ServiceClient services, long ttlMs, LongSupplier clock) {
    this.services = services;
    this.ttlMs = Math.min(ttlMs, MAX_TTL_MS);
    this.clock = clock;
  }

  /** Starts listening for membership changes; resolves once the consumer is registered. */
  Future<Void> listen(EventBus bus) {
    MessageConsumer<JsonObject> consumer = bus.consumer(Addresses.MEMBERSHIP_CHANGED, message -> {
      JsonObject body = message.body();
      if (body != null) {
        invalidate(body.getString("channel_id"), body.getString("user_id"));
      }
    });
    return consumer.completion();
  }

  /** Forgets the answer for one member, or for every member of the channel when userId is null. */
  void invalidate(String channelId, String userId) {
    generation++;
    if (channelId == null) {
      cache.clear();
    } else if (userId == null) {
      cache.keySet().removeIf(key -> key.startsWith(channelId + "/"));
    } else {
      cache.remove(key(channelId, userId));
    }
  }

  Future<Access> check(String channelId, String userId) {
    String key = key(channelId, userId);
    Entry entry = cache.get(key);
    long now = clock.getAsLong();
    if (entry != null && entry.expiresAt > now) {
      return Future.succeededFuture(entry.access);
    }
    long asked = generation;
    // Counted from the question, not the answer: the store was read after this moment, however slow the reply.
    long expiresAt = now + ttlMs;
    return services.call(Addresses.CHANNELS, InternalActions.CHECK_ACCESS,
            new JsonObject().put("channel_id", channelId).put("user_id", userId))
        .map(Access::fromJson)
        .onSuccess(access -> {
          if (access.canRead() && asked == generation) {
            cache.put(key, new Entry(access, expiresAt));
          }
        });
  }

  /** The caller's access to a channel they want to read or write: 404 unknown channel, 403 not a member. */
  Future<Access> requireMember(String channelId, String userId) {
    return check(channelId, userId).compose(access -> {
      if (!access.exists()) {
        return Future.failedFuture(ApiException.notFound(CHANNEL_NOT_FOUND));
      }
      if (!access.member()) {
        return Future.failedFuture(ApiException.forbidden(NOT_A_MEMBER));
      }
      return Future.succeededFuture(access);
    });
  }

  /** Whether the user may see the channel's messages (existing channel, current member). */
  Future<Boolean> canRead(String channelId, String userId) {
    return check(channelId, userId).map(Access::canRead);
  }

  int cachedEntries() {
    return cache.size();
  }

  private static String key(String channelId, String userId) {
    return channelId + "/" + userId;
  }
}
