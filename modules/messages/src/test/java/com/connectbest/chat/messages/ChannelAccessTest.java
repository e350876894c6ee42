package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The membership cache on its own, with a clock the test moves. */
@ExtendWith(VertxExtension.class)
class ChannelAccessTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private io.vertx.core.Context context;
  private FakeChannels channels;
  private ChannelAccess access;
  private final String user = new ObjectId().toHexString();
  private final String channel = new ObjectId().toHexString();

  @BeforeEach
  void setUp(Vertx vertx) {
    channels = new FakeChannels(vertx);
    channels.create(channel, "public", user);
    access = new ChannelAccess(new ServiceClient(vertx.eventBus()), 60_000, now::get);
    // Everything runs on one Vert.x context, as in the verticle.
    context = vertx.getOrCreateContext();
    onContext(() -> access.listen(vertx.eventBus()));
  }

  private <T> T onContext(java.util.function.Supplier<io.vertx.core.Future<T>> call) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> call.get().onComplete(promise));
    return promise.future().await();
  }

  @Test
  @DisplayName("a member answer is reused until the TTL passes, then asked again")
  void ttl() {
    assertTrue(onContext(() -> access.canRead(channel, user)));
    assertTrue(onContext(() -> access.canRead(channel, user)));
    assertEquals(1, channels.calls(InternalActions.CHECK_ACCESS));
    channels.remove(channel, user, false);
    now.addAndGet(ChannelAccess.MAX_TTL_MS - 1);
    assertTrue(onContext(() -> access.canRead(channel, user)), "still cached just before the TTL");
    now.addAndGet(2);
    assertFalse(onContext(() -> access.canRead(channel, user)), "asked again after the TTL");
    assertEquals(2, channels.calls(InternalActions.CHECK_ACCESS));
  }

  @Test
  @DisplayName("a configured TTL longer than 1.5 s is cut to 1.5 s, so a lost removal event is enforced within 2 s")
  void ttlIsCapped() {
    assertTrue(onContext(() -> access.canRead(channel, user)));
    channels.remove(channel, user, false);
    now.addAndGet(ChannelAccess.MAX_TTL_MS);
    assertFalse(onContext(() -> access.canRead(channel, user)), "the setup asked for 60 s");
  }

  @Test
  @DisplayName("a denial is never served from the cache: a member added without any event is allowed at once")
  void denialsNotCached() {
    String newcomer = new ObjectId().toHexString();
    ApiException error = onContext(() -> access.requireMember(channel, newcomer).map(a -> (ApiException) null)
        .recover(e -> io.vertx.core.Future.succeededFuture((ApiException) e)));
    assertEquals(403, error.status());
    channels.add(channel, newcomer, false);
    assertTrue(onContext(() -> access.canRead(channel, newcomer)), "no event was published, no time has passed");
    assertEquals(2, channels.calls(InternalActions.CHECK_ACCESS));
  }

  @Test
  @DisplayName("answers about channels that do not exist (yet) are never cached")
  void unknownNotCached() {
    String dm = "dm_" + user + "_" + new ObjectId().toHexString();
    ApiException error = onContext(() -> access.requireMember(dm, user).map(a -> (ApiException) null)
        .recover(e -> io.vertx.core.Future.succeededFuture((ApiException) e)));
    assertEquals(404, error.status());
    assertEquals("Channel not found", error.getMessage());
    channels.create(dm, "dm", user);
    assertEquals("dm", onContext(() -> access.requireMember(dm, user)).type());
    assertEquals(2, channels.calls(InternalActions.CHECK_ACCESS));
  }

  @Test
  @DisplayName("a membership event for the whole channel (no user_id) drops every cached member of it")
  void channelWideInvalidation() {
    String other = new ObjectId().toHexString();
    channels.add(channel, other);
    assertTrue(onContext(() -> access.canRead(channel, user)));
    assertTrue(onContext(() -> access.canRead(channel, other)));
    assertEquals(2, onContext(() -> io.vertx.core.Future.succeededFuture(access.cachedEntries())));
    onContext(() -> {
      access.invalidate(channel, null);
      return io.vertx.core.Future.succeededFuture();
    });
    assertEquals(0, onContext(() -> io.vertx.core.Future.succeededFuture(access.cachedEntries())));
  }

  @Test
  @DisplayName("the cache is bounded")
  void bounded() {
    onContext(() -> {
      io.vertx.core.Future<Boolean> last = io.vertx.core.Future.succeededFuture(true);
      for (int i = 0; i < ChannelAccess.MAX_ENTRIES + 50; i++) {
        String member = new ObjectId().toHexString();
        channels.add(channel, member, false);
        last = access.canRead(channel, member);
      }
      return last;
    });
    assertEquals(ChannelAccess.MAX_ENTRIES,
        (int) onContext(() -> io.vertx.core.Future.succeededFuture(access.cachedEntries())));
  }
}
