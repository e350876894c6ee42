package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Who is typing where, in memory: an entry lives for the typing window and is never written to the store. Each
 * channels instance keeps its own board and publishes its changes on {@link Addresses#TYPING_CHANGED} so that the
 * other instances' boards follow.
 *
 * <p>Why that stays right: every entry expires on its own after the window, so an event that is lost (or missed by
 * a paused node) leaves a board wrong for at most one window — someone shown typing a few seconds too long, or not
 * shown — and nothing accumulates. A restarted instance starts empty, which is the truth within one window.
 */
final class TypingBoard {

  private final Vertx vertx;
  private final long windowMs;
  private final LongSupplier clock;
  private final String origin = UUID.randomUUID().toString();
  /** channel id → user id → expiry (epoch ms). */
  private final Map<String, Map<String, Long>> entries = new HashMap<>();

  TypingBoard(Vertx vertx, long windowMs, LongSupplier clock) {
    this.vertx = vertx;
    this.windowMs = windowMs;
    this.clock = clock;
  }

  /** Listens to the other instances and sweeps expired entries once per window (bounded memory). */
  Future<Void> start() {
    vertx.setPeriodic(Math.max(windowMs, 1_000), id -> sweep());
    return vertx.eventBus().<JsonObject>consumer(Addresses.TYPING_CHANGED, message -> {
      JsonObject body = message.body();
      if (body != null && !origin.equals(body.getString("origin"))) {
        apply(body.getString("channel_id"), body.getString("user_id"), body.getBoolean("typing", false),
            body.getLong("expires_at", 0L));
      }
    }).completion();
  }

  void set(String channelId, String userId, boolean typing) {
    long expiresAt = clock.getAsLong() + windowMs;
    apply(channelId, userId, typing, expiresAt);
    vertx.eventBus().publish(Addresses.TYPING_CHANGED, new JsonObject().put("origin", origin)
        .put("channel_id", channelId).put("user_id", userId).put("typing", typing).put("expires_at", expiresAt));
  }

  /** The users typing in the channel now, longest typing first. */
  List<String> typing(String channelId) {
    Map<String, Long> channel = entries.get(channelId);
    if (channel == null) {
      return List.of();
    }
    long now = clock.getAsLong();
    channel.values().removeIf(expiresAt -> expiresAt <= now);
    List<String> users = new ArrayList<>(channel.keySet());
    users.sort((a, b) -> Long.compare(channel.get(a), channel.get(b)));
    return users;
  }

  private void apply(String channelId, String userId, boolean typing, long expiresAt) {
    if (channelId == null || userId == null) {
      return;
    }
    if (typing && expiresAt > clock.getAsLong()) {
      entries.computeIfAbsent(channelId, id -> new HashMap<>()).put(userId, expiresAt);
    } else {
      Map<String, Long> channel = entries.get(channelId);
      if (channel != null) {
        channel.remove(userId);
        if (channel.isEmpty()) {
          entries.remove(channelId);
        }
      }
    }
  }

  private void sweep() {
    long now = clock.getAsLong();
    for (Iterator<Map<String, Long>> it = entries.values().iterator(); it.hasNext(); ) {
      Map<String, Long> channel = it.next();
      channel.values().removeIf(expiresAt -> expiresAt <= now);
      if (channel.isEmpty()) {
        it.remove();
      }
    }
  }

  int channels() {
    return entries.size();
  }
}
