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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Incoming webhooks over real HTTP: created by a channel admin, posted to with the Slack payload, revoked. */
class IncomingHooksTest {

  private static final long WAIT_MS = 3000;

  private static TestSystem system;
  private static JsonObject owner;
  private static JsonObject member;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    owner = system.signUp("hook-owner@example.com", "Hook Owner");
    member = system.signUp("hook-member@example.com", "Hook Member");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /** A fresh channel by owner, with member in it. */
  static String channel(TestSystem system, JsonObject owner, JsonObject member) {
    String channel = system.post("/api/chat/channels", owner.getString("token"), new JsonObject()
            .put("name", "h-" + UUID.randomUUID().toString().substring(0, 8)).put("type", "private"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    if (member != null) {
      system.post("/api/chat/channels/" + channel + "/members", owner.getString("token"),
          new JsonObject().put("user_id", member.getString("id")));
    }
    return channel;
  }

  static JsonObject createHook(TestSystem system, String token, String channel) {
    HttpResponse<Buffer> created = system.contract.assertConforms("createIncomingHook",
        system.post("/api/chat/channels/" + channel + "/hooks", token,
            new JsonObject().put("name", "CI").put("icon_url", "https://example.com/ci.png")));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return created.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> post(String url, Object payload) {
    return system.contract.assertConforms("postIncomingHook", system.post(url, null, payload));
  }

  @Test
  @DisplayName("a post to a hook's secret URL is a bot message in its channel, live on SockJS and in the history")
  void postThroughHook() {
    String channel = channel(system, owner, member);
    JsonObject hook = createHook(system, owner.getString("token"), channel);
    String url = hook.getString("url");
    assertTrue(BotTokens.looksLike(hook.getString("token"), BotTokens.HOOK_PREFIX), hook.encode());
    assertEquals("/hooks/" + hook.getString("token"), url);

    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.channel(channel), member.getString("token"));
      assertTrue(socket.awaitRegistered(Addresses.channel(channel), WAIT_MS));
      HttpResponse<Buffer> posted = post(url, new JsonObject().put("text", "Build 42 passed")
          .put("username", "Jenkins").put("channel", "#" + channelName(channel)));
      assertEquals(200, posted.statusCode(), posted.bodyAsString());
      String messageId = posted.bodyAsJsonObject().getString("message_id");

      JsonObject live = socket.nextEvent("new_message", WAIT_MS);
      assertNotNull(live, "the hook's message was not published");
      JsonObject message = live.getJsonObject("body").getJsonObject("message");
      assertEquals(messageId, message.getString("id"));
      assertEquals(true, message.getBoolean("is_bot"));
      assertEquals("Jenkins", message.getString("bot_name"));
      assertEquals(hook.getJsonObject("hook").getString("bot_user_id"), message.getString("user_id"));
    }

    HttpResponse<Buffer> history = system.contract.assertConforms("listChannelMessages",
        system.get("/api/chat/channels/" + channel + "/messages", member.getString("token")));
    JsonObject stored = history.bodyAsJsonObject().getJsonArray("messages").getJsonObject(0);
    assertEquals("Build 42 passed", stored.getString("content"));
    assertEquals(true, stored.getBoolean("is_bot"));
    assertEquals("https://example.com/ci.png", stored.getString("bot_icon_url"));
    assertNotNull(stored.getJsonObject("user"), "the bot's account is the author");
    // people's messages are not bot messages
    system.post("/api/chat/channels/" + channel + "/messages/send", member.getString("token"),
        new JsonObject().put("content", "thanks"));
    JsonObject human = system.get("/api/chat/channels/" + channel + "/messages", member.getString("token"))
        .bodyAsJsonObject().getJsonArray("messages").getJsonObject(0);
    assertEquals(false, human.getBoolean("is_bot"));
  }

  private static String channelName(String channel) {
    return system.get("/api/chat/channels/" + channel, owner.getString("token")).bodyAsJsonObject()
        .getJsonObject("channel").getString("name");
  }

  @Test
  @DisplayName("unknown tokens are 404, bad payloads 400, another channel 400, and nothing is posted for them")
  void refusals() {
    String channel = channel(system, owner, null);
    JsonObject hook = createHook(system, owner.getString("token"), channel);
    String url = hook.getString("url");
    assertError(post("/hooks/" + BotTokens.newToken(BotTokens.HOOK_PREFIX), new JsonObject().put("text", "x")), 404);
    assertError(post("/hooks/nonsense", new JsonObject().put("text", "x")), 404);
    assertError(post(url, new JsonObject()), 400);
    assertError(post(url, new JsonObject().put("text", "   ")), 400);
    assertError(post(url, new JsonObject().put("text", 42)), 400);
    assertError(post(url, new JsonObject().put("text", "x".repeat(2001))), 400);
    assertError(post(url, new JsonObject().put("text", "x").put("icon_url", "javascript:alert(1)")), 400);
    assertError(post(url, new JsonObject().put("text", "x").put("channel", "#some-other-channel")), 400);
    assertError(post(url, new JsonArray().add("text")), 400);
    JsonArray messages = system.get("/api/chat/channels/" + channel + "/messages", owner.getString("token"))
        .bodyAsJsonObject().getJsonArray("messages");
    assertEquals(0, messages.size(), messages.encode());
  }

  @Test
  @DisplayName("only channel admins manage hooks; the list shows no secrets; a revoked hook's URL is 404 at once")
  void listAndRevoke() {
    String channel = channel(system, owner, member);
    assertError(system.post("/api/chat/channels/" + channel + "/hooks", member.getString("token"),
        new JsonObject().put("name", "sneaky")), 403);
    assertError(system.post("/api/chat/channels/" + channel + "/hooks", owner.getString("token"),
        new JsonObject().put("name", "")), 400);
    JsonObject hook = createHook(system, owner.getString("token"), channel);
    String hookId = hook.getJsonObject("hook").getString("id");

    HttpResponse<Buffer> listed = system.contract.assertConforms("listIncomingHooks",
        system.get("/api/chat/channels/" + channel + "/hooks", owner.getString("token")));
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    assertEquals(1, listed.bodyAsJsonObject().getJsonArray("hooks").size());
    assertFalse(listed.bodyAsString().contains(hook.getString("token")), "a listing shows the secret");
    assertError(system.get("/api/chat/channels/" + channel + "/hooks", member.getString("token")), 403);
    assertError(system.delete("/api/chat/channels/" + channel + "/hooks/" + hookId, member.getString("token")), 403);

    assertEquals(200, post(hook.getString("url"), new JsonObject().put("text", "before")).statusCode());
    HttpResponse<Buffer> revoked = system.contract.assertConforms("revokeIncomingHook",
        system.delete("/api/chat/channels/" + channel + "/hooks/" + hookId, owner.getString("token")));
    assertEquals(200, revoked.statusCode(), revoked.bodyAsString());
    assertError(post(hook.getString("url"), new JsonObject().put("text", "after")), 404);
    assertError(system.delete("/api/chat/channels/" + channel + "/hooks/" + hookId, owner.getString("token")), 404);
    assertEquals(0, system.get("/api/chat/channels/" + channel + "/hooks", owner.getString("token"))
        .bodyAsJsonObject().getJsonArray("hooks").size());
  }

  @Test
  @DisplayName("a hook is rate-limited per hook: past its budget it answers 429 with Retry-After")
  void rateLimited() {
    try (TestSystem limited = new TestSystem(new JsonObject().put("RATE_LIMITS",
        TestSystem.GENEROUS_LIMITS.copy().put("webhook", new JsonObject().put("per_account", "3/1m"))))) {
      JsonObject admin = limited.signUp("hook-limit@example.com", "Limit Owner");
      String channel = channel(limited, admin, null);
      String url = createHook(limited, admin.getString("token"), channel).getString("url");
      String other = createHook(limited, admin.getString("token"), channel).getString("url");
      for (int i = 0; i < 3; i++) {
        assertEquals(200, limited.post(url, null, new JsonObject().put("text", "n" + i)).statusCode());
      }
      HttpResponse<Buffer> refused = limited.post(url, null, new JsonObject().put("text", "too many"));
      assertError(refused, 429);
      assertNotNull(refused.getHeader("Retry-After"));
      assertEquals(200, limited.post(other, null, new JsonObject().put("text", "another hook")).statusCode(),
          "one hook's budget is not another's");
    }
  }
}
