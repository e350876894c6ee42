package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.BotTokens;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bot accounts over real HTTP and SockJS: made by an admin, added to channels, marked, rate-limited, revoked. */
class BotAccountsTest {

  private static final long WAIT_MS = 3000;

  private static TestSystem system;
  private static JsonObject admin;
  private static JsonObject user;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    admin = system.signUp("admin@example.com", "Site Admin");
    user = system.signUp("bot-user@example.com", "Bot Friend");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /** Creates a bot as the admin; answers {bot, token}. */
  static JsonObject createBot(TestSystem system, String adminToken, String name) {
    HttpResponse<Buffer> created = system.contract.assertConforms("createBot",
        system.post("/api/bots", adminToken, new JsonObject().put("name", name)));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject();
  }

  @Test
  @DisplayName("an admin's bot joins a channel like a user, posts marked is_bot with its name, and hears it live")
  void botPosts() {
    JsonObject bot = createBot(system, admin.getString("token"), "Reminder");
    String token = bot.getString("token");
    String botId = bot.getJsonObject("bot").getString("id");
    assertTrue(BotTokens.looksLike(token, BotTokens.BOT_PREFIX), bot.encode());
    String channel = IncomingHooksTest.channel(system, user, null);
    assertEquals(200, system.post("/api/chat/channels/" + channel + "/members", user.getString("token"),
        new JsonObject().put("user_id", botId)).statusCode());

    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.channel(channel), token);
      assertTrue(socket.awaitRegistered(Addresses.channel(channel), WAIT_MS), "a bot token opens the bridge");
      HttpResponse<Buffer> sent = system.post("/api/chat/channels/" + channel + "/messages/send", token,
          new JsonObject().put("content", "beep"));
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      JsonObject message = sent.bodyAsJsonObject().getJsonObject("message");
      assertEquals(true, message.getBoolean("is_bot"));
      assertEquals("Reminder", message.getString("bot_name"));
      assertEquals(botId, message.getString("user_id"));
      JsonObject live = socket.nextEvent("new_message", WAIT_MS);
      assertNotNull(live);
      assertEquals(true, live.getJsonObject("body").getJsonObject("message").getBoolean("is_bot"));
    }
    // a bot has no password and is no admin
    assertError(system.post("/api/auth/login", null, new JsonObject().put("email", "x@bots.invalid")
        .put("password", TestSystem.PASSWORD)), 401);
    assertError(system.get("/api/bots", token), 403);
    String other = IncomingHooksTest.channel(system, user, null);
    assertError(system.post("/api/chat/channels/" + other + "/messages/send", token,
        new JsonObject().put("content", "not a member")), 403);
  }

  @Test
  @DisplayName("a bot's direct message needs the permission, and is marked is_bot with the bot's name, in the answer, "
      + "the history and live")
  void botDirectMessage() {
    JsonObject bot = createBot(system, admin.getString("token"), "Pager");
    String token = bot.getString("token");
    String botId = bot.getJsonObject("bot").getString("id");
    String dmPath = "/api/dm/users/" + user.getString("id") + "/messages";
    assertError(system.post(dmPath, token, new JsonObject().put("content", "not granted")), 403);
    permit(botId, new JsonObject().put("actions", new JsonArray().add("sendDirectMessage")));
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.user(user.getString("id")), user.getString("token"));
      assertTrue(socket.awaitRegistered(Addresses.user(user.getString("id")), WAIT_MS));
      HttpResponse<Buffer> sent = system.contract.assertConforms("sendDirectMessage",
          system.post(dmPath, token, new JsonObject().put("content", "your build is green")));
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      JsonObject message = sent.bodyAsJsonObject().getJsonObject("message");
      assertEquals(true, message.getBoolean("is_bot"), message.encode());
      assertEquals("Pager", message.getString("bot_name"));
      JsonObject live = socket.nextEvent("new_message", WAIT_MS);
      assertNotNull(live, "the recipient heard nothing");
      assertEquals(true, live.getJsonObject("body").getJsonObject("message").getBoolean("is_bot"), live.encode());
      JsonObject history = system.get("/api/dm/users/" + botId + "/messages", user.getString("token"))
          .bodyAsJsonObject();
      JsonObject stored = history.getJsonArray("messages").getJsonObject(0);
      assertEquals(true, stored.getBoolean("is_bot"), history.encode());
      assertEquals("Pager", stored.getString("bot_name"));
    }
  }

  /** Replaces the bot's permissions as the admin. */
  private static void permit(String botId, JsonObject permissions) {
    HttpResponse<Buffer> updated = system.put("/api/bots/" + botId + "/permissions", admin.getString("token"),
        permissions);
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
  }

  /** The next err frame, skipping others; null if none comes in time. */
  private static JsonObject nextError(BridgeClient socket, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
      JsonObject frame = socket.next(left);
      if (frame == null || "err".equals(frame.getString("type"))) {
        return frame;
      }
    }
    return null;
  }

  @Test
  @DisplayName("a bot's permissions hold over REST and SockJS too: refused actions are 403, unheard channels refused "
      + "and, once narrowed, revoked")
  void permissionsBeyondTheBridge() {
    JsonObject bot = createBot(system, admin.getString("token"), "Fenced");
    String token = bot.getString("token");
    String botId = bot.getJsonObject("bot").getString("id");
    String heard = IncomingHooksTest.channel(system, user, null);
    String other = IncomingHooksTest.channel(system, user, null);
    for (String channel : new String[] {heard, other}) {
      system.post("/api/chat/channels/" + channel + "/members", user.getString("token"),
          new JsonObject().put("user_id", botId));
    }
    String parent = system.post("/api/chat/channels/" + heard + "/messages/send", user.getString("token"),
        new JsonObject().put("content", "thread")).bodyAsJsonObject().getJsonObject("message").getString("id");
    permit(botId, new JsonObject().put("actions", new JsonArray().add("reply"))
        .put("hear_channels", new JsonArray().add(heard)));

    assertError(system.post("/api/chat/channels/" + heard + "/messages/send", token,
        new JsonObject().put("content", "not granted")), 403);
    assertEquals(201, system.post("/api/chat/messages/" + parent + "/replies", token,
        new JsonObject().put("content", "granted")).statusCode());
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.channel(other), token);
      JsonObject refused = nextError(socket, WAIT_MS);
      assertNotNull(refused, "a bot registered for a channel outside its hear_channels");
      assertEquals(Addresses.channel(other), refused.getString("address"), refused.encode());
      socket.register(Addresses.channel(heard), token);
      assertTrue(socket.awaitRegistered(Addresses.channel(heard), WAIT_MS));
      permit(botId, new JsonObject().put("actions", new JsonArray()).put("hear_channels", new JsonArray().add(other)));
      JsonObject revoked = nextError(socket, WAIT_MS);
      assertNotNull(revoked, "the narrowed bot still hears the channel over SockJS");
      assertEquals(Addresses.channel(heard), revoked.getString("address"), revoked.encode());
      assertTrue(revoked.getString("message").contains("hear"), revoked.encode());
    }
  }

  @Test
  @DisplayName("an admin sets a bot's permissions on creation and replaces them; bad ones are 400, unknown bots 404")
  void permissions() {
    String adminToken = admin.getString("token");
    JsonObject plain = createBot(system, adminToken, "Plain").getJsonObject("bot");
    assertEquals(new JsonObject().put("actions", new JsonArray().add("sendMessage").add("reply"))
        .putNull("hear_channels"), plain.getJsonObject("permissions"), "the defaults");
    String channel = IncomingHooksTest.channel(system, user, null);
    JsonObject permissions = new JsonObject().put("actions", new JsonArray().add("reply"))
        .put("hear_channels", new JsonArray().add(channel));
    HttpResponse<Buffer> created = system.contract.assertConforms("createBot", system.post("/api/bots", adminToken,
        new JsonObject().put("name", "Narrow").put("permissions", permissions)));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject bot = created.bodyAsJsonObject().getJsonObject("bot");
    assertEquals(permissions, bot.getJsonObject("permissions"));

    JsonObject wider = new JsonObject().put("actions", new JsonArray().add("sendDirectMessage")
        .add("sendMessage")).putNull("hear_channels");
    String path = "/api/bots/" + bot.getString("id") + "/permissions";
    HttpResponse<Buffer> updated = system.contract.assertConforms("updateBotPermissions",
        system.put(path, adminToken, wider));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    assertEquals(new JsonObject().put("actions", new JsonArray().add("sendMessage")
        .add("sendDirectMessage")).putNull("hear_channels"),
        updated.bodyAsJsonObject().getJsonObject("bot").getJsonObject("permissions"));
    JsonObject listed = system.get("/api/bots", adminToken).bodyAsJsonObject();
    assertTrue(listed.getJsonArray("bots").stream().map(JsonObject.class::cast)
        .anyMatch(b -> b.getString("id").equals(bot.getString("id"))
            && b.getJsonObject("permissions").getJsonArray("actions").contains("sendDirectMessage")), listed.encode());

    assertError(system.put(path, adminToken, new JsonObject().put("actions",
        new JsonArray().add("deleteEverything"))), 400);
    assertError(system.put(path, adminToken, new JsonObject().put("actions", new JsonArray())
        .put("hear_channels", new JsonArray().add("not-an-id"))), 400);
    assertError(system.put(path, adminToken, new JsonObject()), 400);
    assertError(system.post("/api/bots", adminToken, new JsonObject().put("name", "Bad")
        .put("permissions", new JsonObject().put("actions", "all"))), 400);
    assertError(system.put(path, user.getString("token"), wider), 403);
    assertError(system.put("/api/bots/507f1f77bcf86cd799439099/permissions", adminToken, wider), 404);
    assertError(system.put("/api/bots/" + user.getString("id") + "/permissions", adminToken, wider), 404);
  }

  @Test
  @DisplayName("revoking a bot refuses its token at once and closes its open bridge sockets")
  void revoke() {
    JsonObject bot = createBot(system, admin.getString("token"), "Doomed");
    String token = bot.getString("token");
    String botId = bot.getJsonObject("bot").getString("id");
    assertEquals(200, system.get("/api/chat/channels", token).statusCode(), "the bot is signed in");
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.user(botId), token);
      assertTrue(socket.awaitRegistered(Addresses.user(botId), WAIT_MS));
      assertError(system.delete("/api/bots/" + botId, user.getString("token")), 403);
      HttpResponse<Buffer> revoked = system.contract.assertConforms("revokeBot",
          system.delete("/api/bots/" + botId, admin.getString("token")));
      assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
      assertNotNull(socket.closedWith(WAIT_MS), "the revoked bot's socket stayed open");
    }
    assertError(system.get("/api/chat/channels", token), 401);
    assertError(system.get("/api/chat/channels", BotTokens.newToken(BotTokens.BOT_PREFIX)), 401);
    assertError(system.get("/api/chat/channels", "cbb_short"), 401);
    JsonObject listed = system.contract.assertConforms("listBots", system.get("/api/bots", admin.getString("token")))
        .bodyAsJsonObject();
    assertTrue(listed.getJsonArray("bots").stream().map(JsonObject.class::cast)
        .anyMatch(b -> botId.equals(b.getString("id")) && b.getBoolean("revoked")), listed.encode());
    assertFalse(listed.encode().contains(token));
  }

  @Test
  @DisplayName("bots are rate-limited like users: past send_message's per-account budget a bot gets 429")
  void rateLimited() {
    try (TestSystem limited = new TestSystem(new JsonObject().put("RATE_LIMITS",
        TestSystem.GENEROUS_LIMITS.copy().put("send_message", new JsonObject().put("per_account", "2/1m"))))) {
      JsonObject owner = limited.signUp("admin@example.com", "Limit Admin");
      JsonObject bot = createBot(limited, owner.getString("token"), "Chatty");
      String channel = IncomingHooksTest.channel(limited, owner, null);
      limited.post("/api/chat/channels/" + channel + "/members", owner.getString("token"),
          new JsonObject().put("user_id", bot.getJsonObject("bot").getString("id")));
      String path = "/api/chat/channels/" + channel + "/messages/send";
      for (int i = 0; i < 2; i++) {
        assertEquals(201, limited.post(path, bot.getString("token"), new JsonObject().put("content", "n" + i))
            .statusCode());
      }
      assertError(limited.post(path, bot.getString("token"), new JsonObject().put("content", "more")), 429);
    }
  }
}
