package com.connectbest.chat.gateway;

import com.connectbest.chat.common.testing.WebSockets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EventBridgeTest {

  private static final String CHANNEL = "507f1f77bcf86cd799439aaa";
  private static final long SETTLE_MS = 300;
  private static final String BOB = "507f1f77bcf86cd799439bbb";

  private GatewayHarness gateway;
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  /** The fake channels service's removal count, per channel, moved by {@link #remove} as the real store moves it. */
  private final Map<String, Long> removals = new ConcurrentHashMap<>();
  private final AtomicInteger memberListReads = new AtomicInteger();
  private Vertx vertx;

  @org.junit.jupiter.api.BeforeAll
  static void countMeters() {
    // Micrometer's global registry counts nothing until a registry joins it (the application adds Prometheus's)
    io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    // two copies per event-loop turn: every test with several sockets goes through the sliced fan-out
    gateway = new GatewayHarness(vertx, new JsonObject().put("BRIDGE_FANOUT_SLICE", 2));
    vertx.eventBus().<JsonObject>consumer(Addresses.CHANNELS, message -> {
      JsonObject body = message.body().getJsonObject("body");
      String action = message.headers().get(ServiceRequest.ACTION_HEADER);
      if (InternalActions.CHECK_ACCESS.equals(action)) {
        boolean member = members.contains(body.getString("channel_id") + "/" + body.getString("user_id"));
        message.reply(ServiceReply.ok(new JsonObject().put("exists", true).put("type", "public")
            .put("member", member)).toJson());
      } else if (InternalActions.CHECK_ACCESS_MANY.equals(action)) {
        JsonObject access = new JsonObject();
        body.getJsonArray("channel_ids").forEach(id -> access.put((String) id, new JsonObject().put("exists", true)
            .put("type", "public").put("member", members.contains(id + "/" + body.getString("user_id")))));
        message.reply(ServiceReply.ok(new JsonObject().put("access", access)).toJson());
      } else if (InternalActions.MEMBER_REMOVALS.equals(action)) {
        JsonObject counts = new JsonObject();
        body.getJsonArray("channel_ids").forEach(id -> counts.put((String) id, removals.getOrDefault((String) id, 0L)));
        message.reply(ServiceReply.ok(new JsonObject().put("removals", counts)).toJson());
      } else if (InternalActions.CHANNEL_READ_STATES.equals(action)) {
        memberListReads.incrementAndGet();
        String prefix = body.getString("channel_id") + "/";
        JsonArray reads = new JsonArray();
        members.stream().filter(key -> key.startsWith(prefix))
            .forEach(key -> reads.add(new JsonObject().put("user_id", key.substring(prefix.length()))));
        message.reply(ServiceReply.ok(new JsonObject().put("reads", reads)).toJson());
      }
    });
  }

  /** Removes the member as the channels service does: the membership goes, then the channel's removal count moves. */
  private void remove(String channelId, String userId) {
    members.remove(channelId + "/" + userId);
    removals.merge(channelId, 1L, Long::sum);
  }

  private JsonObject publishAndReceive(BridgeClient client, String address) {
    vertx.eventBus().publish(address, new JsonObject().put("type", "new_message").put("n", 1));
    return client.next(1000);
  }

  private static void pause() {
    try {
      Thread.sleep(SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("a user registered on their own address receives what is published there")
  void ownUserAddress() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.user(GatewayHarness.ALICE), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.user(GatewayHarness.ALICE), 2000), "the registration is acknowledged");
      JsonObject frame = publishAndReceive(client, Addresses.user(GatewayHarness.ALICE));
      assertNotNull(frame, "no frame delivered");
      assertEquals("rec", frame.getString("type"));
      assertEquals("new_message", frame.getJsonObject("body").getString("type"));
    }
  }

  @Test
  @DisplayName("a register without a token is refused and delivers nothing")
  void noToken() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.user(GatewayHarness.ALICE), null);
      JsonObject refusal = client.next(1000);
      assertNotNull(refusal);
      assertEquals("err", refusal.getString("type"));
      assertNull(publishAndReceive(client, Addresses.user(GatewayHarness.ALICE)));
    }
  }

  @Test
  @DisplayName("a register with a forged token is refused")
  void forgedToken() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.user(GatewayHarness.ALICE),
          gateway.token(new JsonObject().put("user_id", GatewayHarness.ALICE), "HS256", "wrong-secret-0123456789abcdef", 60));
      assertEquals("err", client.next(1000).getString("type"));
      assertNull(publishAndReceive(client, Addresses.user(GatewayHarness.ALICE)));
    }
  }

  @Test
  @DisplayName("a user cannot register on another user's address")
  void otherUserAddress() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.user("507f1f77bcf86cd799439022"), gateway.aliceToken());
      assertEquals("err", client.next(1000).getString("type"));
      assertNull(publishAndReceive(client, Addresses.user("507f1f77bcf86cd799439022")));
    }
  }

  @Test
  @DisplayName("a non-member cannot register on a channel address")
  void nonMember() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      assertEquals("err", client.next(1000).getString("type"));
      assertNull(publishAndReceive(client, Addresses.channel(CHANNEL)));
    }
  }

  @Test
  @DisplayName("a member receives channel events until removed, then gets a revocation naming the address and nothing more")
  void removedMemberStops() {
    members.add(CHANNEL + "/" + GatewayHarness.ALICE);
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.channel(CHANNEL), 2000));
      assertNotNull(publishAndReceive(client, Addresses.channel(CHANNEL)));
      members.clear();
      vertx.eventBus().publish(Addresses.MEMBERSHIP_CHANGED, new JsonObject().put("channel_id", CHANNEL)
          .put("user_id", GatewayHarness.ALICE).put("change", "left"));
      JsonObject revoked = client.next(1000);
      assertNotNull(revoked, "the removed member is told");
      assertEquals("err", revoked.getString("type"));
      assertEquals(Addresses.channel(CHANNEL), revoked.getString("address"));
      assertEquals(403, revoked.getInteger("failureCode"));
      assertNull(publishAndReceive(client, Addresses.channel(CHANNEL)));
    }
  }

  @Test
  @DisplayName("a removed member whose membership event was lost stops receiving within 2 s")
  void removedMemberWithoutEvent() {
    members.add(CHANNEL + "/" + GatewayHarness.ALICE);
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.channel(CHANNEL), 2000));
      remove(CHANNEL, GatewayHarness.ALICE); // and no events.membership.changed
      JsonObject revoked = client.next(2000);
      assertNotNull(revoked, "the periodic check ends the registration");
      assertEquals(Addresses.channel(CHANNEL), revoked.getString("address"));
      assertEquals("REVOKED", revoked.getString("failureType"));
      assertNull(publishAndReceive(client, Addresses.channel(CHANNEL)));
    }
  }

  @Test
  @DisplayName("the periodic check reads a channel's member list only when its removal count moved")
  void memberListsAreReadOnlyAfterARemoval() throws InterruptedException {
    members.add(CHANNEL + "/" + GatewayHarness.ALICE);
    members.add(CHANNEL + "/" + BOB);
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.channel(CHANNEL), 2000));
      Thread.sleep(1_500); // the first check reads the list once
      int afterFirst = memberListReads.get();
      assertEquals(1, afterFirst, "read once for the new channel address");
      Thread.sleep(2_500); // two more periods, nothing removed
      assertEquals(afterFirst, memberListReads.get(), "no list read while no removal count moves");
      remove(CHANNEL, BOB);
      Thread.sleep(1_500);
      assertEquals(afterFirst + 1, memberListReads.get(), "the moved count made the next period read the list");
      assertNotNull(publishAndReceive(client, Addresses.channel(CHANNEL)), "Alice, still a member, still receives");
    }
  }

  @Test
  @DisplayName("a removal whose count never moved (a crash between the two writes) is found by the full check")
  void fullCheckFindsARemovalWithoutItsCount() {
    GatewayHarness sweeping = new GatewayHarness(vertx, new JsonObject().put("BRIDGE_FULL_RECHECK_MS", 3_000));
    members.add(CHANNEL + "/" + GatewayHarness.ALICE);
    try (BridgeClient client = new BridgeClient(vertx, sweeping.port)) {
      client.register(Addresses.channel(CHANNEL), sweeping.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.channel(CHANNEL), 2000));
      members.remove(CHANNEL + "/" + GatewayHarness.ALICE); // the count does not move, and no event
      JsonObject revoked = client.next(5_000);
      assertNotNull(revoked, "the full check, every 3 s here, ends the registration");
      assertEquals("REVOKED", revoked.getString("failureType"));
    }
  }

  @Test
  @DisplayName("a refusal names the address, a code and a reason, and registering again once allowed works")
  void refusalThenRetry() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      JsonObject refusal = client.next(1000);
      assertEquals("err", refusal.getString("type"));
      assertEquals(Addresses.channel(CHANNEL), refusal.getString("address"), "the client hands it to the handler");
      assertEquals(403, refusal.getInteger("failureCode"));
      assertEquals("REFUSED", refusal.getString("failureType"));
      assertEquals("Not a member of this channel", refusal.getString("message"));
      // the user joins (no event reaches the bridge: a refusal is never cached)
      members.add(CHANNEL + "/" + GatewayHarness.ALICE);
      client.raw(new JsonObject().put("type", "unregister").put("address", Addresses.channel(CHANNEL)).encode());
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.channel(CHANNEL), 2000), "the second registration is acknowledged");
      assertNotNull(publishAndReceive(client, Addresses.channel(CHANNEL)));
    }
  }

  @Test
  @DisplayName("sockets of one node share one event-bus consumer per address, each gets every message, and the last one out removes it")
  void oneConsumerPerAddress() {
    members.add(CHANNEL + "/" + GatewayHarness.ALICE);
    List<BridgeClient> clients = new ArrayList<>();
    try {
      openOnChannel(5, clients);
      assertEquals(1, gateway.verticle.bridgeConsumers());
      clients.get(0).register(Addresses.user(GatewayHarness.ALICE), gateway.aliceToken());
      assertTrue(clients.get(0).awaitRegistered(Addresses.user(GatewayHarness.ALICE), 2000));
      assertEquals(2, gateway.verticle.bridgeConsumers());
      double deliveredBefore = Meters.counted(Meters.EVENTS_DELIVERED);
      vertx.eventBus().publish(Addresses.channel(CHANNEL), new JsonObject().put("type", "new_message").put("n", 7));
      for (BridgeClient client : clients) {
        JsonObject frame = client.next(1000);
        assertNotNull(frame, "every socket receives the message");
        assertEquals(7, frame.getJsonObject("body").getInteger("n"));
      }
      long countedBy = System.currentTimeMillis() + 2000; // counted just after the writes, on the bridge's loop
      while (Meters.counted(Meters.EVENTS_DELIVERED) < deliveredBefore + 5 && System.currentTimeMillis() < countedBy) {
        pause();
      }
      assertEquals(deliveredBefore + 5, Meters.counted(Meters.EVENTS_DELIVERED), "each copy is counted once");
      clients.get(0).raw(new JsonObject().put("type", "unregister").put("address", Addresses.user(GatewayHarness.ALICE))
          .encode());
      awaitConsumers(1);
      for (int i = 0; i < 4; i++) {
        clients.remove(0).close();
      }
      assertNotNull(publishAndReceive(clients.get(0), Addresses.channel(CHANNEL)), "the remaining socket still receives");
      assertEquals(1, gateway.verticle.bridgeConsumers());
      clients.get(0).raw(new JsonObject().put("type", "unregister").put("address", Addresses.channel(CHANNEL)).encode());
      awaitConsumers(0);
    } finally {
      clients.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("a fan-out over several turns reaches every socket once, and each socket gets every address's events in publish order")
  void slicedFanOutKeepsOrder() {
    members.add(CHANNEL + "/" + GatewayHarness.ALICE);
    List<BridgeClient> clients = new ArrayList<>();
    try {
      openOnChannel(5, clients);
      BridgeClient last = clients.get(4); // its copy of a channel event is written in the third turn
      last.register(Addresses.user(GatewayHarness.ALICE), gateway.aliceToken());
      assertTrue(last.awaitRegistered(Addresses.user(GatewayHarness.ALICE), 2000));
      for (int n = 1; n <= 6; n++) {
        String address = n % 3 == 2 ? Addresses.user(GatewayHarness.ALICE) : Addresses.channel(CHANNEL);
        vertx.eventBus().publish(address, new JsonObject().put("type", "new_message").put("n", n));
      }
      for (BridgeClient client : clients) {
        List<Integer> seen = new ArrayList<>();
        int expected = client == last ? 6 : 4;
        for (int i = 0; i < expected; i++) {
          JsonObject frame = client.next(2000);
          assertNotNull(frame, "copy " + (i + 1) + " of " + expected + " arrives");
          seen.add(frame.getJsonObject("body").getInteger("n"));
        }
        assertEquals(client == last ? List.of(1, 2, 3, 4, 5, 6) : List.of(1, 3, 4, 6), seen);
        assertNull(client.next(200), "nothing more, no copy twice");
      }
    } finally {
      clients.forEach(BridgeClient::close);
    }
  }

  /** Opens this many of Alice's sockets registered on the channel, into {@code clients} (which the caller closes). */
  private void openOnChannel(int count, List<BridgeClient> clients) {
    for (int i = 0; i < count; i++) {
      BridgeClient client = new BridgeClient(vertx, gateway.port);
      clients.add(client);
      client.register(Addresses.channel(CHANNEL), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.channel(CHANNEL), 2000));
    }
  }

  private void awaitConsumers(int expected) {
    long deadline = System.currentTimeMillis() + 2000;
    while (gateway.verticle.bridgeConsumers() != expected && System.currentTimeMillis() < deadline) {
      pause();
    }
    assertEquals(expected, gateway.verticle.bridgeConsumers());
  }

  @Test
  @DisplayName("a revocation closes the user's sockets opened with older tokens, with a reason, and keeps newer ones")
  void revocationClosesSockets() {
    long now = System.currentTimeMillis();
    String older = gateway.token(new JsonObject().put("user_id", GatewayHarness.ALICE).put("auth_time_ms", now - 5_000));
    String newer = gateway.token(new JsonObject().put("user_id", GatewayHarness.ALICE).put("auth_time_ms", now + 5_000));
    try (BridgeClient old = new BridgeClient(vertx, gateway.port);
         BridgeClient fresh = new BridgeClient(vertx, gateway.port)) {
      old.register(Addresses.user(GatewayHarness.ALICE), older);
      fresh.register(Addresses.user(GatewayHarness.ALICE), newer);
      assertTrue(old.awaitRegistered(Addresses.user(GatewayHarness.ALICE), 2000));
      assertTrue(fresh.awaitRegistered(Addresses.user(GatewayHarness.ALICE), 2000));
      vertx.eventBus().publish(Addresses.ACCOUNT_REVOKED, new JsonObject().put("user_id", GatewayHarness.ALICE)
          .put("valid_after_ms", now).put("reason", "logout"));
      assertEquals("4401 token revoked: logout", old.closedWith(1000));
      assertNull(fresh.closedWith(300), "a token issued after the sign-out keeps its socket");
      assertNotNull(publishAndReceive(fresh, Addresses.user(GatewayHarness.ALICE)));
      vertx.eventBus().publish(Addresses.ACCOUNT_REVOKED, new JsonObject().put("user_id", GatewayHarness.ALICE)
          .put("valid_after_ms", now).put("reason", "removed"));
      assertEquals("4401 token revoked: removed", fresh.closedWith(1000));
    }
  }

  @Test
  @DisplayName("browsers cannot send or publish to any address, service addresses included")
  void noInbound() {
    boolean[] reached = {false};
    vertx.eventBus().consumer("service.probe", m -> reached[0] = true);
    vertx.eventBus().consumer(Addresses.user(GatewayHarness.ALICE), m -> reached[0] = true);
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.send("send", "service.probe", new JsonObject(), gateway.aliceToken());
      assertEquals("err", client.next(1000).getString("type"));
      client.send("publish", Addresses.user(GatewayHarness.ALICE), new JsonObject(), gateway.aliceToken());
      assertEquals("err", client.next(1000).getString("type"));
    }
    pause();
    assertEquals(false, reached[0]);
  }

  @Test
  @DisplayName("the SockJS-framed WebSocket transport that browser clients use delivers and refuses the same way")
  void sockJsFraming() {
    java.util.concurrent.LinkedBlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
    // The handler must be in place before the first frame ("o") can arrive: attach it on the event loop.
    io.vertx.core.http.WebSocket socket = WebSockets.connect(vertx, gateway.port, "127.0.0.1", "/eventbus/123/abcdefgh/websocket")
        .onSuccess(ws -> ws.textMessageHandler(frames::add)).await();
    try {
      assertEquals("o", frames.poll(2, java.util.concurrent.TimeUnit.SECONDS));
      JsonObject refused = new JsonObject().put("type", "register").put("address", Addresses.user("507f1f77bcf86cd799439022"))
          .put("headers", new JsonObject().put("Authorization", "Bearer " + gateway.aliceToken()));
      JsonObject accepted = refused.copy().put("address", Addresses.user(GatewayHarness.ALICE));
      socket.writeTextMessage(new io.vertx.core.json.JsonArray().add(refused.encode()).encode()).await();
      String error = frames.poll(2, java.util.concurrent.TimeUnit.SECONDS);
      assertNotNull(error);
      assertEquals("err", sockJsMessage(error).getString("type"));
      assertEquals(Addresses.user("507f1f77bcf86cd799439022"), sockJsMessage(error).getString("address"));
      socket.writeTextMessage(new io.vertx.core.json.JsonArray().add(accepted.encode()).encode()).await();
      String ack = frames.poll(2, java.util.concurrent.TimeUnit.SECONDS);
      while (ack != null && ack.equals("h")) {
        ack = frames.poll(2, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertNotNull(ack);
      assertEquals("registered", sockJsMessage(ack).getJsonObject("headers").getString("bridge"));
      vertx.eventBus().publish(Addresses.user(GatewayHarness.ALICE), new JsonObject().put("type", "read"));
      String delivered = frames.poll(2, java.util.concurrent.TimeUnit.SECONDS);
      while (delivered != null && delivered.equals("h")) {
        delivered = frames.poll(2, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertNotNull(delivered);
      assertEquals("read", sockJsMessage(delivered).getJsonObject("body").getString("type"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      socket.close();
    }
  }

  /** A SockJS data frame is {@code a["<json>"]}: an array of JSON-encoded messages. */
  private static JsonObject sockJsMessage(String frame) {
    assertEquals('a', frame.charAt(0), frame);
    return new JsonObject(new io.vertx.core.json.JsonArray(frame.substring(1)).getString(0));
  }

  @Test
  @DisplayName("addresses outside chat.* are refused even with a valid token")
  void outsidePrefix() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.register(Addresses.USER_CHANGED, gateway.aliceToken());
      assertEquals("err", client.next(1000).getString("type"));
    }
  }

  /** A raw WebSocket whose client sends frames of up to 1 MB unsplit, as a hostile client would. */
  private WebSocket rawSocket() {
    return WebSockets.connect(vertx, new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20), new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port).setURI("/eventbus/websocket"))
        .await();
  }

  @Test
  @DisplayName("a frame over the size limit closes the connection instead of being parsed")
  void oversizedFrame() throws InterruptedException {
    WebSocket socket = rawSocket();
    CountDownLatch closed = new CountDownLatch(1);
    socket.closeHandler(v -> closed.countDown());
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", Addresses.user(GatewayHarness.ALICE))
        .put("headers", new JsonObject().put("Authorization", "Bearer " + gateway.aliceToken()))
        .put("padding", "x".repeat(100_000)).encode());
    assertTrue(closed.await(5, TimeUnit.SECONDS), "a 100 kB frame must end the connection (limit 64 kB)");
  }

  @Test
  @DisplayName("unknown frame types and malformed frames are answered with an error and open nothing")
  void unknownFrames() {
    try (BridgeClient client = new BridgeClient(vertx, gateway.port)) {
      client.raw(new JsonObject().put("type", "subscribe-all").put("address", "#").encode());
      JsonObject error = client.next(1000);
      assertEquals("err", error.getString("type"), error.encode());
      client.raw("{not json");
      assertEquals("err", client.next(1000).getString("type"));
      client.register(Addresses.user(GatewayHarness.ALICE), gateway.aliceToken());
      assertTrue(client.awaitRegistered(Addresses.user(GatewayHarness.ALICE), 2000));
      JsonObject delivered = publishAndReceive(client, Addresses.user(GatewayHarness.ALICE));
      assertNotNull(delivered, "the connection still works for what is allowed");
      assertEquals(1, delivered.getJsonObject("body").getInteger("n"));
    }
  }

  @Test
  @DisplayName("a client that stops reading is disconnected once its write queue is full, not buffered without end")
  void slowConsumer() throws InterruptedException {
    WebSocket socket = rawSocket();
    AtomicInteger received = new AtomicInteger();
    CountDownLatch closed = new CountDownLatch(1);
    socket.binaryMessageHandler(message -> received.incrementAndGet()); // whole messages, not their 64 kB fragments
    socket.closeHandler(v -> closed.countDown());
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", Addresses.user(GatewayHarness.ALICE))
        .put("headers", new JsonObject().put("Authorization", "Bearer " + gateway.aliceToken())).encode()).await();
    pause();
    socket.pause();
    JsonObject big = new JsonObject().put("type", "new_message").put("text", "y".repeat(64 * 1024));
    int published = 2_000;
    for (int i = 0; i < published; i++) {
      vertx.eventBus().publish(Addresses.user(GatewayHarness.ALICE), big);
    }
    pause();
    socket.resume();
    assertTrue(closed.await(10, TimeUnit.SECONDS), "the server must drop a client that does not read");
    assertTrue(received.get() < published, "received " + received.get() + " of " + published + " (128 MB)");
  }
}
