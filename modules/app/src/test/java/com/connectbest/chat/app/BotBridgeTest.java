package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.BotTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The TCP bot bridge over raw sockets: a bot hears its channels and acts through the services' rules; bad frames,
 * unknown addresses and missing or revoked tokens are refused without harming the bridge.
 */
class BotBridgeTest {

  private static final long WAIT_MS = 3000;

  private static TestSystem system;
  private static int bridgePort;
  private static JsonObject admin;
  private static JsonObject owner;

  @BeforeAll
  static void start() {
    bridgePort = TestSystem.freePort();
    system = new TestSystem(new JsonObject().put("BOT_BRIDGE_PORT", bridgePort));
    admin = system.signUp("admin@example.com", "Site Admin");
    owner = system.signUp("bridge-owner@example.com", "Bridge Owner");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /** A bot that is a member of a fresh channel of owner's: {token, id, channel}. */
  static JsonObject botInChannel(TestSystem system, JsonObject admin, JsonObject owner, String name) {
    JsonObject bot = BotAccountsTest.createBot(system, admin.getString("token"), name);
    String channel = IncomingHooksTest.channel(system, owner, null);
    String botId = bot.getJsonObject("bot").getString("id");
    system.post("/api/chat/channels/" + channel + "/members", owner.getString("token"),
        new JsonObject().put("user_id", botId));
    return new JsonObject().put("token", bot.getString("token")).put("id", botId).put("channel", channel);
  }

  private static JsonObject register(BotBridgeClient client, String address, String token) throws IOException {
    client.write(new JsonObject().put("type", "register").put("address", address)
        .put("headers", BotBridgeClient.auth(token)));
    return client.next(WAIT_MS);
  }

  /** The connection still answers a ping with a pong. */
  private static void assertAlive(BotBridgeClient client) throws IOException {
    client.write(new JsonObject().put("type", "ping"));
    assertNotNull(client.next("pong", WAIT_MS), "no pong: the connection is broken");
  }

  @Test
  @DisplayName("a bot hears its channel's messages and posts through bot.actions as a marked bot message")
  void hearsAndActs() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Bridge bot");
    String address = Addresses.channel(bot.getString("channel"));
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      JsonObject ack = register(client, address, bot.getString("token"));
      assertEquals("registered", ack.getJsonObject("headers").getString("bridge"), ack.encode());
      system.post("/api/chat/channels/" + bot.getString("channel") + "/messages/send", owner.getString("token"),
          new JsonObject().put("content", "hello bot"));
      JsonObject heard = client.next("message", WAIT_MS);
      assertNotNull(heard, "the bot heard nothing");
      assertEquals("hello bot", heard.getJsonObject("body").getJsonObject("message").getString("content"));

      client.write(new JsonObject().put("type", "send").put("address", Addresses.BOT_ACTIONS).put("replyAddress", "r1")
          .put("headers", BotBridgeClient.auth(bot.getString("token")))
          .put("body", new JsonObject().put("action", "sendMessage").put("channel_id", bot.getString("channel"))
              .put("content", "hello human")));
      JsonObject reply = nextReply(client, "r1");
      assertEquals(201, reply.getJsonObject("body").getInteger("status"), reply.encode());
      JsonObject message = reply.getJsonObject("body").getJsonObject("body").getJsonObject("message");
      assertEquals(true, message.getBoolean("is_bot"));
      assertEquals("Bridge bot", message.getString("bot_name"));

      // the same rules as REST: empty content is 400, a channel it is not in is 403
      client.write(new JsonObject().put("type", "send").put("address", Addresses.BOT_ACTIONS).put("replyAddress", "r2")
          .put("headers", BotBridgeClient.auth(bot.getString("token")))
          .put("body", new JsonObject().put("action", "sendMessage").put("channel_id", bot.getString("channel"))
              .put("content", "  ")));
      JsonObject refused = nextReply(client, "r2");
      assertEquals("err", refused.getString("type"), refused.encode());
      String other = IncomingHooksTest.channel(system, owner, null);
      client.write(new JsonObject().put("type", "send").put("address", Addresses.BOT_ACTIONS).put("replyAddress", "r3")
          .put("headers", BotBridgeClient.auth(bot.getString("token")))
          .put("body", new JsonObject().put("action", "sendMessage").put("channel_id", other).put("content", "x")));
      assertEquals("err", nextReply(client, "r3").getString("type"));
      assertEquals("err", register(client, Addresses.channel(other), bot.getString("token")).getString("type"),
          "registered for a channel the bot is not in");
      assertAlive(client);
    }
  }

  /** The reply frame to replyAddress (message or err), skipping channel events. */
  private static JsonObject nextReply(BotBridgeClient client, String replyAddress) throws IOException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    for (long left = WAIT_MS; left > 0; left = deadline - System.currentTimeMillis()) {
      JsonObject frame = client.next(left);
      if (frame == null) {
        break;
      }
      if ("err".equals(frame.getString("type")) || replyAddress.equals(frame.getString("address"))) {
        return frame;
      }
    }
    throw new AssertionError("no reply to " + replyAddress);
  }

  @Test
  @DisplayName("fuzz: bad JSON, unknown addresses, publish, missing, forged and user tokens are refused; the bridge lives")
  void refusals() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Fuzz bot");
    String address = Addresses.channel(bot.getString("channel"));
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      assertEquals("err", register(client, address, null).getString("type"), "no token");
      client.write(new JsonObject().put("type", "register").put("address", address));
      assertEquals("err", client.next(WAIT_MS).getString("type"), "no headers");
      assertEquals("err", register(client, address, BotTokens.newToken(BotTokens.BOT_PREFIX)).getString("type"));
      assertEquals("err", register(client, address, "cbb_short").getString("type"));
      assertEquals("err", register(client, address, owner.getString("token")).getString("type"), "a user's token");
      assertEquals("err", register(client, "service.auth", bot.getString("token")).getString("type"));
      assertEquals("err", register(client, Addresses.user(bot.getString("id")), bot.getString("token"))
          .getString("type"));
      for (String target : new String[] {"service.messages", "events.account.revoked", "chat.channel.x", "nope"}) {
        client.write(new JsonObject().put("type", "send").put("address", target).put("replyAddress", "r")
            .put("headers", BotBridgeClient.auth(bot.getString("token"))).put("body", new JsonObject()));
        assertEquals("err", client.next(WAIT_MS).getString("type"), "sent to " + target);
      }
      client.write(new JsonObject().put("type", "publish").put("address", Addresses.BOT_ACTIONS)
          .put("headers", BotBridgeClient.auth(bot.getString("token"))).put("body", new JsonObject()));
      assertEquals("err", client.next(WAIT_MS).getString("type"), "publish");
      for (JsonObject body : new JsonObject[] {new JsonObject(), new JsonObject().put("action", "deleteEverything"),
          new JsonObject().put("action", "sendMessage").put("channel_id", 5).put("content", "x"),
          new JsonObject().put("action", "reply").put("message_id", "nope").put("content", "x")}) {
        client.write(new JsonObject().put("type", "send").put("address", Addresses.BOT_ACTIONS).put("replyAddress", "r")
            .put("headers", BotBridgeClient.auth(bot.getString("token"))).put("body", body));
        assertEquals("err", client.next(WAIT_MS).getString("type"), "action " + body.encode());
      }
      assertAlive(client);
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      client.raw("{not json".getBytes(StandardCharsets.UTF_8));
      client.raw(new byte[0]);
      client.raw("[1,2,3]".getBytes(StandardCharsets.UTF_8));
      client.raw("\"text\"".getBytes(StandardCharsets.UTF_8));
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      client.bytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
      assertEquals(413, client.next(WAIT_MS).getInteger("failureCode"), "a negative length");
      assertTrue(client.closedWithin(WAIT_MS));
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      client.bytes(new byte[] {0x7f, 0, 0, 0, '{'});
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      assertAlive(client);
      JsonObject ack = register(client, address, bot.getString("token"));
      assertEquals("registered", ack.getJsonObject("headers").getString("bridge"), "the bridge survived: " + ack);
    }
  }

  /** Sends one bot.actions frame and answers its reply frame (message or err). */
  private static JsonObject act(BotBridgeClient client, String token, String replyAddress, JsonObject body)
      throws IOException {
    client.write(new JsonObject().put("type", "send").put("address", Addresses.BOT_ACTIONS)
        .put("replyAddress", replyAddress).put("headers", BotBridgeClient.auth(token)).put("body", body));
    return nextReply(client, replyAddress);
  }

  /** Replaces the bot's permissions as the admin. */
  private static void permit(String botId, JsonObject permissions) {
    HttpResponse<Buffer> updated = system.contract.assertConforms("updateBotPermissions",
        system.put("/api/bots/" + botId + "/permissions", admin.getString("token"), permissions));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
  }

  private static void assertRefused(JsonObject frame, String why) {
    assertEquals("err", frame.getString("type"), why + ": " + frame.encode());
    assertEquals(403, frame.getInteger("failureCode"), why + ": " + frame.encode());
  }

  @Test
  @DisplayName("a bot's permissions decide each action (send, reply, direct message) and each channel it may hear")
  void permissions() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Permitted bot");
    String token = bot.getString("token");
    String heard = bot.getString("channel");
    String unheard = IncomingHooksTest.channel(system, owner, null);
    system.post("/api/chat/channels/" + unheard + "/members", owner.getString("token"),
        new JsonObject().put("user_id", bot.getString("id")));
    String parent = system.post("/api/chat/channels/" + heard + "/messages/send", owner.getString("token"),
        new JsonObject().put("content", "a thread")).bodyAsJsonObject().getJsonObject("message").getString("id");
    JsonObject send = new JsonObject().put("action", "sendMessage").put("channel_id", heard).put("content", "hi");
    JsonObject reply = new JsonObject().put("action", "reply").put("message_id", parent).put("content", "re");
    JsonObject direct = new JsonObject().put("action", "sendDirectMessage").put("recipient_id", owner.getString("id"))
        .put("content", "psst");
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      // the defaults: post and reply in, and hear, every channel it is in; no direct messages
      assertEquals(201, act(client, token, "d1", send).getJsonObject("body").getInteger("status"));
      assertEquals(201, act(client, token, "d2", reply).getJsonObject("body").getInteger("status"));
      assertRefused(act(client, token, "d3", direct), "a direct message without the permission");
      assertEquals("registered", register(client, Addresses.channel(unheard), token).getJsonObject("headers")
          .getString("bridge"));
    }
    permit(bot.getString("id"), new JsonObject().put("actions", new JsonArray().add("sendDirectMessage"))
        .put("hear_channels", new JsonArray().add(heard)));
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      assertEquals("registered", register(client, Addresses.channel(heard), token).getJsonObject("headers")
          .getString("bridge"));
      JsonObject refused = register(client, Addresses.channel(unheard), token);
      assertRefused(refused, "registered for a channel outside hear_channels");
      assertTrue(refused.getString("message").contains("hear"), refused.encode());
      assertRefused(act(client, token, "p1", send), "sendMessage without the permission");
      assertRefused(act(client, token, "p2", reply), "reply without the permission");
      JsonObject sent = act(client, token, "p3", direct);
      assertEquals(201, sent.getJsonObject("body").getInteger("status"), sent.encode());
      JsonObject message = sent.getJsonObject("body").getJsonObject("body").getJsonObject("message");
      assertEquals(true, message.getBoolean("is_bot"), message.encode());
      assertEquals("Permitted bot", message.getString("bot_name"));
      assertAlive(client);
    }
  }

  @Test
  @DisplayName("narrowing a bot's hear_channels closes its connection registered on a channel it may no longer hear")
  void permissionChangeCloses() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Narrowed bot");
    String token = bot.getString("token");
    String kept = IncomingHooksTest.channel(system, owner, null);
    system.post("/api/chat/channels/" + kept + "/members", owner.getString("token"),
        new JsonObject().put("user_id", bot.getString("id")));
    try (BotBridgeClient here = new BotBridgeClient(bridgePort);
         BotBridgeClient there = new BotBridgeClient(bridgePort)) {
      assertEquals("registered", register(here, Addresses.channel(bot.getString("channel")), token)
          .getJsonObject("headers").getString("bridge"));
      assertEquals("registered", register(there, Addresses.channel(kept), token)
          .getJsonObject("headers").getString("bridge"));
      permit(bot.getString("id"), new JsonObject().put("actions", new JsonArray().add("sendMessage"))
          .put("hear_channels", new JsonArray().add(kept)));
      assertTrue(here.closedWithin(WAIT_MS), "the connection still hears a channel the bot may no longer hear");
      assertAlive(there);
    }
  }

  @Test
  @DisplayName("with the permission change's event lost, the periodic re-check still closes the connection in bounded time")
  void lostEventRecheck() throws IOException {
    int port = TestSystem.freePort();
    try (TestSystem lossy = new TestSystem(new JsonObject().put("BOT_BRIDGE_PORT", port)
        .put("BOT_BRIDGE_RECHECK_SECONDS", 1))) {
      // every events.user.changed is lost on the way
      lossy.vertx.eventBus().addInboundInterceptor(delivery -> {
        if (!Addresses.USER_CHANGED.equals(delivery.message().address())) {
          delivery.next();
        }
      });
      JsonObject lossyAdmin = lossy.signUp("admin@example.com", "Lossy Admin");
      JsonObject lossyOwner = lossy.signUp("lossy-owner@example.com", "Lossy Owner");
      JsonObject bot = botInChannel(lossy, lossyAdmin, lossyOwner, "Rechecked bot");
      try (BotBridgeClient client = new BotBridgeClient(port)) {
        assertEquals("registered", register(client, Addresses.channel(bot.getString("channel")), bot.getString("token"))
            .getJsonObject("headers").getString("bridge"));
        assertEquals(200, lossy.put("/api/bots/" + bot.getString("id") + "/permissions", lossyAdmin.getString("token"),
            new JsonObject().put("actions", new JsonArray()).put("hear_channels", new JsonArray())).statusCode());
        assertTrue(client.closedWithin(5_000), "the re-check left a connection hearing a channel no longer allowed");
      }
    }
  }

  @Test
  @DisplayName("fuzz: a frame announcing more than the limit (100 MB) gets an err frame and a closed connection, unread")
  void oversizedFrames() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Limit bot");
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      // just under the limit still works
      client.write(new JsonObject().put("type", "ping").put("padding", "x".repeat(60_000)));
      assertNotNull(client.next("pong", WAIT_MS), "a 60 kB frame was refused");
      client.bytes(new byte[] {0x05, (byte) 0xf5, (byte) 0xe1, 0x00, '{', '"'}); // 100,000,000 bytes announced
      JsonObject refused = client.next(WAIT_MS);
      assertNotNull(refused, "no answer to an oversized frame");
      assertEquals("err", refused.getString("type"), refused.encode());
      assertEquals(413, refused.getInteger("failureCode"), refused.encode());
      assertTrue(client.closedWithin(WAIT_MS), "the connection stayed open");
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      client.bytes(new byte[] {0, 1, 0, 1}); // just over the limit: 65,537 bytes
      assertEquals(413, client.next(WAIT_MS).getInteger("failureCode"));
      assertTrue(client.closedWithin(WAIT_MS));
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      assertAlive(client);
      assertFalse(client.closedWithin(100), "a healthy connection was closed");
      assertEquals("registered", register(client, Addresses.channel(bot.getString("channel")), bot.getString("token"))
          .getJsonObject("headers").getString("bridge"), "the bridge survived");
    }
  }

  @Test
  @DisplayName("a bot removed from a channel stops hearing it: its connection registered there is closed")
  void removedFromChannel() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Removed bot");
    String channel = bot.getString("channel");
    String elsewhere = botInChannel(system, admin, owner, "Unrelated bot").getString("channel");
    system.post("/api/chat/channels/" + elsewhere + "/members", owner.getString("token"),
        new JsonObject().put("user_id", bot.getString("id")));
    try (BotBridgeClient here = new BotBridgeClient(bridgePort);
         BotBridgeClient there = new BotBridgeClient(bridgePort)) {
      assertEquals("registered", register(here, Addresses.channel(channel), bot.getString("token"))
          .getJsonObject("headers").getString("bridge"));
      assertEquals("registered", register(there, Addresses.channel(elsewhere), bot.getString("token"))
          .getJsonObject("headers").getString("bridge"));
      assertEquals(200, system.delete("/api/chat/channels/" + channel + "/members/" + bot.getString("id"),
          owner.getString("token")).statusCode());
      assertTrue(here.closedWithin(WAIT_MS), "the connection still hears a channel the bot left");
      assertAlive(there);
    }
  }

  @Test
  @DisplayName("revoking a bot closes its bridge connections and refuses its token afterwards")
  void revocation() throws IOException {
    JsonObject bot = botInChannel(system, admin, owner, "Revoked bot");
    String address = Addresses.channel(bot.getString("channel"));
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      assertEquals("registered", register(client, address, bot.getString("token")).getJsonObject("headers")
          .getString("bridge"));
      assertEquals(200, system.delete("/api/bots/" + bot.getString("id"), admin.getString("token")).statusCode());
      assertTrue(client.closedWithin(WAIT_MS), "the revoked bot's connection stayed open");
    }
    try (BotBridgeClient client = new BotBridgeClient(bridgePort)) {
      assertEquals("err", register(client, address, bot.getString("token")).getString("type"));
    }
  }
}
