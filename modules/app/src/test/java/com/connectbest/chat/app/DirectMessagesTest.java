package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Direct messages between two users, over real HTTP and the SockJS bridge. */
class DirectMessagesTest {

  private static final long WAIT_MS = 3000;

  private static TestSystem system;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static String dmId(JsonObject a, JsonObject b) {
    String x = a.getString("id");
    String y = b.getString("id");
    return x.compareTo(y) <= 0 ? "dm_" + x + "_" + y : "dm_" + y + "_" + x;
  }

  private static HttpResponse<Buffer> send(JsonObject from, JsonObject to, String content) {
    return system.contract.assertConforms("sendDirectMessage", system.post(
        "/api/dm/users/" + to.getString("id") + "/messages", from.getString("token"),
        new JsonObject().put("content", content)));
  }

  private static JsonArray conversations(JsonObject user) {
    HttpResponse<Buffer> answer = system.contract.assertConforms("listConversations",
        system.get("/api/dm/conversations", user.getString("token")));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getJsonArray("conversations");
  }

  @Test
  @DisplayName("a direct message reaches both participants live on their personal addresses, and nobody else")
  void liveDirectMessage() {
    JsonObject ann = system.signUp("ann.dm@example.com", "Ann Direct");
    JsonObject bob = system.signUp("bob.dm@example.com", "Bob Direct");
    JsonObject eve = system.signUp("eve.dm@example.com", "Eve Outsider");
    try (BridgeClient annSocket = new BridgeClient(system.vertx, system.port);
         BridgeClient bobSocket = new BridgeClient(system.vertx, system.port);
         BridgeClient eveSocket = new BridgeClient(system.vertx, system.port)) {
      annSocket.register(Addresses.user(ann.getString("id")), ann.getString("token"));
      bobSocket.register(Addresses.user(bob.getString("id")), bob.getString("token"));
      eveSocket.register(Addresses.user(eve.getString("id")), eve.getString("token"));
      BridgeClient.settle();

      HttpResponse<Buffer> sent = send(ann, bob, "  hi bob  ");
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      JsonObject body = sent.bodyAsJsonObject();
      assertEquals(dmId(ann, bob), body.getString("dm_channel_id"));
      assertEquals("hi bob", body.getJsonObject("message").getString("content"));
      assertEquals(dmId(ann, bob), body.getJsonObject("message").getString("channel_id"));

      for (BridgeClient socket : List.of(bobSocket, annSocket)) {
        JsonObject frame = socket.nextEvent("new_message", WAIT_MS);
        assertNotNull(frame, "a participant did not receive the direct message");
        assertEquals(body.getJsonObject("message").getString("id"),
            frame.getJsonObject("body").getJsonObject("message").getString("id"));
        assertEquals(dmId(ann, bob), frame.getJsonObject("body").getString("channelId"));
      }
      assertNull(eveSocket.next(500), "an outsider must receive nothing");
    }
  }

  @Test
  @DisplayName("a direct message retried with its Idempotency-Key over HTTP answers the same message and is pushed once")
  void idempotentRetry() {
    JsonObject ann = system.signUp("ann.idem@example.com", "Ann Retry");
    JsonObject bob = system.signUp("bob.idem@example.com", "Bob Retry");
    try (BridgeClient bobSocket = new BridgeClient(system.vertx, system.port)) {
      bobSocket.register(Addresses.user(bob.getString("id")), bob.getString("token"));
      BridgeClient.settle();
      String path = "/api/dm/users/" + bob.getString("id") + "/messages";
      HttpResponse<Buffer> first = system.contract.assertConforms("sendDirectMessage", system.call(
          system.http.post(path).putHeader("Idempotency-Key", "retry-1"), ann.getString("token"),
          new JsonObject().put("content", "once")));
      HttpResponse<Buffer> again = system.contract.assertConforms("sendDirectMessage", system.call(
          system.http.post(path), ann.getString("token"),
          new JsonObject().put("content", "once").put("client_message_id", "retry-1")));

      assertEquals(201, first.statusCode(), first.bodyAsString());
      assertEquals(201, again.statusCode(), again.bodyAsString());
      assertEquals(first.bodyAsJsonObject().getJsonObject("message").getString("id"),
          again.bodyAsJsonObject().getJsonObject("message").getString("id"));
      assertNull(first.getHeader("Idempotent-Replayed"));
      assertEquals("true", again.getHeader("Idempotent-Replayed"));
      assertNotNull(bobSocket.nextEvent("new_message", WAIT_MS));
      assertNull(bobSocket.next(500), "the retry must not be pushed again");
      assertEquals("VALIDATION_ERROR", assertError(system.call(system.http.post(path)
          .putHeader("Idempotency-Key", "retry-2"), ann.getString("token"),
          new JsonObject().put("content", "x").put("client_message_id", "other")), 400).getString("error"));
    }
  }

  @Test
  @DisplayName("a conversation is paged like a channel and stays invisible to everyone but its two participants")
  void privacyAndPaging() {
    JsonObject ann = system.signUp("ann.page@example.com", "Ann Pager");
    JsonObject bob = system.signUp("bob.page@example.com", "Bob Pager");
    JsonObject eve = system.signUp("eve.page@example.com", "Eve Snoop");
    for (int i = 1; i <= 5; i++) {
      send(i % 2 == 0 ? bob : ann, i % 2 == 0 ? ann : bob, "message " + i);
    }
    String dm = dmId(ann, bob);
    HttpResponse<Buffer> page = system.contract.assertConforms("listDirectMessages",
        system.get("/api/dm/users/" + bob.getString("id") + "/messages?limit=3", ann.getString("token")));
    JsonObject first = page.bodyAsJsonObject();
    assertEquals(dm, first.getString("dm_channel_id"));
    assertEquals(List.of("message 5", "message 4", "message 3"), contents(first));
    assertTrue(first.getBoolean("has_more"));
    String oldest = first.getJsonArray("messages").getJsonObject(2).getString("id");
    JsonObject older = system.get("/api/dm/users/" + ann.getString("id") + "/messages?limit=3&before=" + oldest,
        bob.getString("token")).bodyAsJsonObject();
    assertEquals(List.of("message 2", "message 1"), contents(older));
    assertFalse(older.getBoolean("has_more"));

    String messageId = first.getJsonArray("messages").getJsonObject(0).getString("id");
    assertError(system.get("/api/chat/channels/" + dm + "/messages", eve.getString("token")), 403);
    assertError(system.post("/api/chat/channels/" + dm + "/messages/send", eve.getString("token"),
        new JsonObject().put("content", "let me in")), 403);
    assertError(system.get("/api/chat/messages/" + messageId, eve.getString("token")), 404);
    assertError(system.get("/api/chat/messages/" + messageId + "/replies", eve.getString("token")), 404);
    assertError(system.post("/api/chat/channels/" + dm + "/messages/" + messageId + "/reactions",
        eve.getString("token"), new JsonObject().put("emoji", "👀")), 403);
    assertError(system.post("/api/dm/channels/" + dm + "/read", eve.getString("token"), null), 403);
    assertError(system.get("/api/chat/channels/" + dm, eve.getString("token")), 404);
    assertError(system.post("/api/chat/channels/" + dm + "/join", eve.getString("token"), null), 404);
    JsonObject search = system.contract.assertConforms("searchMessages",
        system.get("/api/chat/search?q=message", eve.getString("token"))).bodyAsJsonObject();
    assertEquals(0, search.getJsonArray("messages").size(), search.encode());
    JsonObject own = system.get("/api/chat/search?q=message&channel_id=" + dm, bob.getString("token"))
        .bodyAsJsonObject();
    assertEquals(5, own.getInteger("total"), own.encode());
    assertError(system.get("/api/chat/search?q=message&channel_id=" + dm, eve.getString("token")), 403);
    assertEquals(0, conversations(eve).size());
    try (BridgeClient eveSocket = new BridgeClient(system.vertx, system.port)) {
      eveSocket.register(Addresses.channel(dm), eve.getString("token"));
      assertEquals("err", eveSocket.next(WAIT_MS).getString("type"), "an outsider's register must be refused");
    }

    HttpResponse<Buffer> reacted = system.post("/api/chat/channels/" + dm + "/messages/" + messageId + "/reactions",
        bob.getString("token"), new JsonObject().put("emoji", "👍"));
    assertEquals(200, reacted.statusCode(), reacted.bodyAsString());
    JsonObject channels = system.get("/api/chat/channels", ann.getString("token")).bodyAsJsonObject();
    assertFalse(channels.encode().contains(dm), "DMs never appear among channels");
  }

  @Test
  @DisplayName("the conversation list shows each partner once, newest first, with the caller's unread count")
  void conversationList() {
    JsonObject ann = system.signUp("ann.list@example.com", "Ann Lister");
    JsonObject bob = system.signUp("bob.list@example.com", "Bob Early");
    JsonObject cat = system.signUp("cat.list@example.com", "Cat Late");
    JsonObject dan = system.signUp("dan.list@example.com", "Dan Silent");
    send(bob, ann, "from bob 1");
    send(bob, ann, "from bob 2");
    send(ann, cat, "to cat");
    send(cat, ann, "cat answers");
    system.get("/api/dm/users/" + dan.getString("id") + "/messages", ann.getString("token"));

    JsonArray rows = conversations(ann);
    assertEquals(2, rows.size(), "a conversation without messages is not listed: " + rows.encode());
    JsonObject latest = rows.getJsonObject(0);
    assertEquals(cat.getString("id"), latest.getString("user_id"));
    assertEquals("Cat Late", latest.getString("user_name"));
    assertEquals("cat.list@example.com", latest.getString("user_email"));
    assertEquals("cat answers", latest.getString("last_message"));
    assertEquals(1, latest.getInteger("unreadCount"));
    JsonObject earlier = rows.getJsonObject(1);
    assertEquals(dmId(ann, bob), earlier.getString("dm_channel_id"));
    assertEquals(2, earlier.getInteger("unreadCount"));

    HttpResponse<Buffer> read = system.contract.assertConforms("markDirectRead",
        system.post("/api/dm/channels/" + dmId(ann, bob) + "/read", ann.getString("token"), null));
    assertEquals(200, read.statusCode(), read.bodyAsString());
    assertEquals(dmId(ann, bob), read.bodyAsJsonObject().getJsonObject("data").getString("channel_id"));
    assertEquals(0, conversations(ann).getJsonObject(1).getInteger("unreadCount"));
    assertEquals(0, conversations(bob).getJsonObject(0).getInteger("unreadCount"), "own messages are never unread");
  }

  @Test
  @DisplayName("messaging yourself is 400, an unknown recipient 404, and content follows the channel rules")
  void badRequests() {
    JsonObject ann = system.signUp("ann.bad@example.com", "Ann Careful");
    JsonObject bob = system.signUp("bob.bad@example.com", "Bob Careful");
    assertError(send(ann, ann, "hello me"), 400);
    String nobody = "0123456789abcdef01234567";
    assertError(system.post("/api/dm/users/" + nobody + "/messages", ann.getString("token"),
        new JsonObject().put("content", "anyone?")), 404);
    assertError(system.get("/api/dm/users/" + nobody + "/messages", ann.getString("token")), 404);
    assertError(system.get("/api/dm/users/not-an-id/messages", ann.getString("token")), 400);
    assertError(send(ann, bob, "   "), 400);
    assertError(send(ann, bob, "x".repeat(2001)), 400);
    assertError(system.post("/api/dm/channels/dm_" + ann.getString("id") + "_" + ann.getString("id") + "/read",
        ann.getString("token"), null), 400);
    assertError(system.post("/api/dm/channels/dm_" + ann.getString("id") + "_" + nobody + "/read",
        ann.getString("token"), null), 404);
    assertError(system.get("/api/dm/conversations", null), 401);
  }

  private static List<String> contents(JsonObject page) {
    return page.getJsonArray("messages").stream().map(JsonObject.class::cast).map(m -> m.getString("content"))
        .toList();
  }
}
