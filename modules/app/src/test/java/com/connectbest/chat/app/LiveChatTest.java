package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two members on two sockets see each other live; an outsider sees nothing, over REST or the bridge. */
class LiveChatTest {

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

  private static JsonObject event(BridgeClient client, String type) {
    JsonObject frame = client.nextEvent(type, WAIT_MS);
    assertNotNull(frame, "no " + type + " event arrived");
    return frame.getJsonObject("body");
  }

  private static void settle() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("two members see messages, edits, deletes, reactions and typing live; an outsider sees nothing")
  void liveConversation() {
    JsonObject ann = system.signUp("ann.live@example.com", "Ann Live");
    JsonObject bob = system.signUp("bob.live@example.com", "Bob Live");
    JsonObject eve = system.signUp("eve.live@example.com", "Eve Outsider");
    HttpResponse<Buffer> created = system.contract.assertConforms("createChannel", system.post("/api/chat/channels",
        ann.getString("token"), new JsonObject().put("name", "live-team").put("type", "private")));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String channel = created.bodyAsJsonObject().getJsonObject("channel").getString("id");
    system.contract.assertConforms("addChannelMember", system.post("/api/chat/channels/" + channel + "/members",
        ann.getString("token"), new JsonObject().put("user_id", bob.getString("id"))));

    try (BridgeClient annSocket = new BridgeClient(system.vertx, system.port);
         BridgeClient bobSocket = new BridgeClient(system.vertx, system.port);
         BridgeClient eveSocket = new BridgeClient(system.vertx, system.port)) {
      annSocket.register(Addresses.channel(channel), ann.getString("token"));
      bobSocket.register(Addresses.channel(channel), bob.getString("token"));
      eveSocket.register(Addresses.channel(channel), eve.getString("token"));
      assertEquals("err", eveSocket.next(WAIT_MS).getString("type"), "an outsider's register must be refused");
      settle();

      HttpResponse<Buffer> sent = system.contract.assertConforms("sendMessage", system.post(
          "/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
          new JsonObject().put("content", "  hello bob  ")));
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      String messageId = sent.bodyAsJsonObject().getJsonObject("message").getString("id");
      JsonObject arrived = event(bobSocket, "new_message");
      assertEquals("hello bob", arrived.getJsonObject("message").getString("content"));
      assertEquals("Ann Live", arrived.getJsonObject("message").getJsonObject("user").getString("name"));
      assertEquals(messageId, event(annSocket, "new_message").getJsonObject("message").getString("id"));

      JsonObject reply = system.post("/api/chat/channels/" + channel + "/messages/send", bob.getString("token"),
          new JsonObject().put("content", "hi ann")).bodyAsJsonObject().getJsonObject("message");
      assertEquals("hi ann", event(annSocket, "new_message").getJsonObject("message").getString("content"));

      system.contract.assertConforms("editMessage", system.put("/api/chat/messages/" + reply.getString("id"),
          bob.getString("token"), new JsonObject().put("content", "hi ann!")));
      assertEquals("hi ann!", event(annSocket, "message_updated").getJsonObject("message").getString("content"));

      system.contract.assertConforms("addReaction", system.post("/api/chat/channels/" + channel + "/messages/"
          + messageId + "/reactions", bob.getString("token"), new JsonObject().put("emoji", "👍")));
      assertEquals("👍", event(annSocket, "reaction_added").getString("emoji"));

      system.contract.assertConforms("setTyping", system.post("/api/chat/channels/" + channel + "/typing",
          bob.getString("token"), new JsonObject().put("typing", true)));
      JsonObject typing = event(annSocket, "typing");
      assertEquals(bob.getString("id"), typing.getString("userId"));
      HttpResponse<Buffer> typers = system.contract.assertConforms("getTypingUsers",
          system.get("/api/chat/channels/" + channel + "/typing", ann.getString("token")));
      assertEquals("Bob Live", typers.bodyAsJsonObject().getJsonArray("typing_users").getString(0));

      system.contract.assertConforms("deleteMessage", system.delete("/api/chat/messages/" + reply.getString("id"),
          bob.getString("token")));
      assertEquals(reply.getString("id"), event(annSocket, "message_deleted").getString("messageId"));

      assertError(system.get("/api/chat/channels/" + channel + "/messages", eve.getString("token")), 403);
      assertError(system.get("/api/chat/channels/" + channel, eve.getString("token")), 403);
      assertError(system.get("/api/chat/messages/" + messageId, eve.getString("token")), 404);
      assertNull(eveSocket.next(500), "the outsider must receive nothing");

      HttpResponse<Buffer> history = system.contract.assertConforms("listChannelMessages",
          system.get("/api/chat/channels/" + channel + "/messages", bob.getString("token")));
      assertEquals(1, history.bodyAsJsonObject().getJsonArray("messages").size(), history.bodyAsString());
    }
  }

  @Test
  @DisplayName("a removed member loses REST access and stops receiving live events at once")
  void removedMember() {
    JsonObject ann = system.signUp("ann.rm@example.com", "Ann Remover");
    JsonObject bob = system.signUp("bob.rm@example.com", "Bob Removed");
    String channel = system.post("/api/chat/channels", ann.getString("token"),
        new JsonObject().put("name", "rm-team").put("type", "private")).bodyAsJsonObject()
        .getJsonObject("channel").getString("id");
    system.post("/api/chat/channels/" + channel + "/members", ann.getString("token"),
        new JsonObject().put("user_id", bob.getString("id")));
    try (BridgeClient bobSocket = new BridgeClient(system.vertx, system.port)) {
      bobSocket.register(Addresses.channel(channel), bob.getString("token"));
      settle();
      system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
          new JsonObject().put("content", "before"));
      assertNotNull(bobSocket.nextEvent("new_message", WAIT_MS));

      HttpResponse<Buffer> removed = system.contract.assertConforms("removeChannelMember", system.delete(
          "/api/chat/channels/" + channel + "/members/" + bob.getString("id"), ann.getString("token")));
      assertEquals(200, removed.statusCode(), removed.bodyAsString());
      settle();
      system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
          new JsonObject().put("content", "after"));
      assertNull(bobSocket.nextEvent("new_message", 1000), "a removed member must not receive new messages");
      assertError(system.get("/api/chat/channels/" + channel + "/messages", bob.getString("token")), 403);
    }
  }

  @Test
  @DisplayName("new users are in general, see unread counts, and reading clears them")
  void unreadCounts() {
    JsonObject ann = system.signUp("ann.unread@example.com", "Ann Unread");
    JsonObject bob = system.signUp("bob.unread@example.com", "Bob Unread");
    HttpResponse<Buffer> channels = system.contract.assertConforms("listMyChannels",
        system.get("/api/chat/channels", bob.getString("token")));
    JsonObject general = channels.bodyAsJsonObject().getJsonArray("channels").stream().map(JsonObject.class::cast)
        .filter(c -> "general".equals(c.getString("name"))).findFirst().orElseThrow();
    String id = general.getString("id");
    system.contract.assertConforms("markChannelRead", system.post("/api/chat/channels/" + id + "/read",
        bob.getString("token"), null));
    system.post("/api/chat/channels/" + id + "/messages/send", ann.getString("token"), new JsonObject().put("content", "one"));
    system.post("/api/chat/channels/" + id + "/messages/send", ann.getString("token"), new JsonObject().put("content", "two"));
    JsonObject after = system.get("/api/chat/channels", bob.getString("token")).bodyAsJsonObject().getJsonArray("channels")
        .stream().map(JsonObject.class::cast).filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow();
    assertEquals(2, after.getInteger("unreadCount"));
    assertEquals("two", after.getString("last_message"));
    system.post("/api/chat/channels/" + id + "/read", bob.getString("token"), null);
    JsonObject cleared = system.get("/api/chat/channels", bob.getString("token")).bodyAsJsonObject().getJsonArray("channels")
        .stream().map(JsonObject.class::cast).filter(c -> id.equals(c.getString("id"))).findFirst().orElseThrow();
    assertEquals(0, cleared.getInteger("unreadCount"));
  }
}
