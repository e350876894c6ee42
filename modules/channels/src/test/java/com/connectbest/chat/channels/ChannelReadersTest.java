package com.connectbest.chat.channels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelReadersTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger loads = new AtomicInteger();

  private static ChannelReaders.Readers readers(int count) {
    Instant[] sorted = new Instant[count];
    for (int i = 0; i < count; i++) {
      sorted[i] = Instant.ofEpochSecond(i);
    }
    return new ChannelReaders.Readers(Map.of(), sorted);
  }

  private Future<ChannelReaders.Readers> load(ChannelReaders cache, String channelId, int count) {
    return cache.get(channelId, () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(readers(count));
    });
  }

  @Test
  @DisplayName("an entry is read from the store again once its time to live has passed, or at once after a drop")
  void expiresAndDrops() {
    ChannelReaders cache = new ChannelReaders(1_000, 100, now::get);
    load(cache, "c", 3);
    load(cache, "c", 3);
    assertEquals(1, loads.get(), "fresh: served from the cache");
    now.addAndGet(1_000);
    load(cache, "c", 3);
    assertEquals(2, loads.get(), "expired: read again");
    cache.invalidate("c");
    load(cache, "c", 3);
    assertEquals(3, loads.get(), "dropped by a local write: read again");
  }

  @Test
  @DisplayName("the cache holds at most its bound of read positions, however many channels are asked for")
  void bounded() {
    ChannelReaders cache = new ChannelReaders(60_000, 100, now::get);
    for (int i = 0; i < 50; i++) {
      load(cache, "c" + i, 9);
    }
    assertEquals(100, cache.positions(), "ten channels of 9 positions (+1 each) fit");
    load(cache, "huge", 500);
    assertEquals(100, cache.positions(), "a channel larger than the bound is never kept");
  }

  @Test
  @DisplayName("a load that started before a local write is not kept after it")
  void staleLoadIsNotKept() {
    ChannelReaders cache = new ChannelReaders(60_000, 100, now::get);
    Promise<ChannelReaders.Readers> slow = Promise.promise();
    cache.get("c", slow::future);
    cache.invalidate("c");
    ChannelReaders.Readers old = readers(1);
    slow.complete(old);
    ChannelReaders.Readers fresh = cache.get("c", () -> Future.succeededFuture(readers(2))).result();
    assertEquals(2, fresh.sorted().length);
    assertSame(fresh, cache.get("c", () -> Future.succeededFuture(old)).result());
  }

  private static ChannelReaders.Readers of(Map<String, Instant> byMember) {
    return new ChannelReaders.Readers(Map.copyOf(byMember), byMember.values().stream().sorted().toArray(Instant[]::new));
  }

  @Test
  @DisplayName("a read marker moves the member's position in the cached entry instead of making the next page reload")
  void readMarkersMovePositions() {
    ChannelReaders cache = new ChannelReaders(60_000, 1_000, now::get);
    Random random = new Random(5);
    Map<String, Instant> truth = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      truth.put("u" + i, Instant.ofEpochSecond(random.nextInt(30)));
    }
    cache.get("c", () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(of(truth));
    });
    for (int i = 0; i < 2_000; i++) {
      String member = "u" + random.nextInt(40);
      // Forwards mostly, sometimes backwards or to the same second, onto duplicates and past both ends.
      Instant at = Instant.ofEpochSecond(random.nextInt(40) - 5);
      truth.put(member, at);
      cache.moved("c", member, at);
      ChannelReaders.Readers cached = cache.get("c", () -> {
        loads.incrementAndGet();
        return Future.succeededFuture(of(truth));
      }).result();
      assertEquals(truth, cached.byMember());
      assertArrayEquals(truth.values().stream().sorted().toArray(Instant[]::new), cached.sorted(), "after move " + i);
    }
    assertEquals(1, loads.get(), "moves never reloaded the entry");

    cache.moved("c", "newcomer", Instant.ofEpochSecond(3));
    cache.get("c", () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(of(truth));
    });
    assertEquals(2, loads.get(), "a member without a position drops the entry");
  }

  @Test
  @DisplayName("pages asking while a load is in flight share it, and a move during it makes the next page load again")
  void concurrentPagesShareOneLoad() {
    ChannelReaders cache = new ChannelReaders(60_000, 100, now::get);
    Promise<ChannelReaders.Readers> slow = Promise.promise();
    Future<ChannelReaders.Readers> first = cache.get("c", () -> {
      loads.incrementAndGet();
      return slow.future();
    });
    Future<ChannelReaders.Readers> second = cache.get("c", () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(readers(9));
    });
    assertEquals(1, loads.get(), "the second page waits for the first page's load");
    slow.complete(readers(2));
    assertSame(first.result(), second.result());

    Promise<ChannelReaders.Readers> stale = Promise.promise();
    cache.invalidate("c");
    cache.get("c", stale::future);
    cache.moved("c", "u", Instant.EPOCH);
    ChannelReaders.Readers after = cache.get("c", () -> {
      loads.incrementAndGet();
      return Future.succeededFuture(readers(3));
    }).result();
    assertEquals(3, after.sorted().length, "a load from before the move is neither shared nor kept");
    stale.complete(readers(1));
    assertEquals(3, cache.get("c", () -> Future.succeededFuture(readers(4))).result().sorted().length);
  }
}
