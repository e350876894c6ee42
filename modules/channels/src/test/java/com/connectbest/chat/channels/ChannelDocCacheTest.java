package com.connectbest.chat.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelDocCacheTest {

  private static final String A = "65a000000000000000000001";
  private static final String B = "65a000000000000000000002";
  private static final String GONE = "65a0000000000000000000ff";

  private final AtomicLong now = new AtomicLong(1_000);
  /** The ids of each store read, in order. */
  private final List<List<String>> reads = new ArrayList<>();

  private Future<List<JsonObject>> store(List<String> ids) {
    reads.add(ids);
    return Future.succeededFuture(ids.stream().filter(id -> !id.equals(GONE))
        .map(id -> new JsonObject().put("_id", new JsonObject().put("$oid", id)).put("name", "n" + id)).toList());
  }

  private Map<String, ListedChannel> get(ChannelDocCache cache, String... ids) {
    return cache.get(List.of(ids), this::store).result();
  }

  @Test
  @DisplayName("a channel is read from the store once while fresh, and again once its time to live has passed")
  void servesWhileFresh() {
    ChannelDocCache cache = new ChannelDocCache(30_000, 100, now::get);
    ListedChannel first = get(cache, A, B).get(A);
    assertSame(first, get(cache, A, B).get(A), "the same entry, not a new read");
    assertEquals(List.of(List.of(A, B)), reads);
    now.addAndGet(30_000);
    get(cache, A);
    assertEquals(List.of(List.of(A, B), List.of(A)), reads, "expired: read again, alone");
  }

  @Test
  @DisplayName("only the ids not held are read, in one store read, and ids the store lacks are remembered as absent")
  void readsOnlyWhatIsMissing() {
    ChannelDocCache cache = new ChannelDocCache(30_000, 100, now::get);
    get(cache, A);
    Map<String, ListedChannel> found = get(cache, A, B, GONE);
    assertEquals(2, found.size());
    assertEquals(List.of(List.of(A), List.of(B, GONE)), reads);
    get(cache, A, B, GONE);
    assertEquals(2, reads.size(), "an absent id is not asked for again while fresh");
  }

  @Test
  @DisplayName("a read that started before a rolled-back creation was forgotten is not kept after it")
  void forgetWinsOverAReadInFlight() {
    ChannelDocCache cache = new ChannelDocCache(30_000, 100, now::get);
    Promise<List<JsonObject>> slow = Promise.promise();
    Future<Map<String, ListedChannel>> pending = cache.get(List.of(A), ids -> slow.future());
    cache.forget(A);
    slow.complete(List.of(new JsonObject().put("_id", new JsonObject().put("$oid", A))));
    assertEquals(1, pending.result().size(), "the read still answers its own request");
    assertEquals(0, cache.size(), "but it is not kept");
    get(cache, A);
    assertEquals(List.of(List.of(A)), reads, "the next request reads the store");
  }

  @Test
  @DisplayName("the cache holds at most its bound of channels, the least recently used going first")
  void bounded() {
    ChannelDocCache cache = new ChannelDocCache(30_000, 10, now::get);
    for (int i = 0; i < 50; i++) {
      get(cache, String.format("65a0000000000000000001%02d", i));
    }
    assertEquals(10, cache.size());
    reads.clear();
    get(cache, "65a000000000000000000149");
    assertEquals(0, reads.size(), "the most recent one is still held");
  }
}
