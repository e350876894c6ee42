package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Channel events over the SockJS bridge are numbered, ordered as a reload shows them, and resumable over REST. */
class ResumableEventsTest {

  private static final long WAIT_MS = 5000;

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

  private static String channelOf(JsonObject owner, JsonObject... members) {
    String channel = system.post("/api/chat/channels", owner.getString("token"), new JsonObject()
            .put("name", "r-" + java.util.UUID.randomUUID().toString().substring(0, 8)).put("type", "private"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    for (JsonObject member : members) {
      system.post("/api/chat/channels/" + channel + "/members", owner.getString("token"),
          new JsonObject().put("user_id", member.getString("id")));
    }
    return channel;
  }

  private static HttpResponse<Buffer> eventsAfter(String channel, String token, long after) {
    return system.get("/api/chat/channels/" + channel + "/events?after_seq=" + after, token);
  }

  @Test
  @DisplayName("concurrent sends reach a live member in seq order, the order a reload of the history shows")
  void liveOrderIsReloadOrder() {
    JsonObject ann = system.signUp("ann.seq@example.com", "Ann Seq");
    JsonObject bob = system.signUp("bob.seq@example.com", "Bob Seq");
    String channel = channelOf(ann, bob);
    try (BridgeClient bobSocket = new BridgeClient(system.vertx, system.port)) {
      bobSocket.register(Addresses.channel(channel), bob.getString("token"));
      BridgeClient.settle();
      List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        sends.add(system.http.post("/api/chat/channels/" + channel + "/messages/send")
            .bearerTokenAuthentication(ann.getString("token")).sendJson(new JsonObject().put("content", "m" + i)));
      }
      Future.all(sends).await();
      List<JsonObject> live = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        live.add(event(bobSocket, "new_message"));
      }
      for (int i = 1; i < live.size(); i++) {
        assertTrue(live.get(i).getLong("seq") > live.get(i - 1).getLong("seq"), "in seq order: " + live);
      }
      List<Object> reload = new ArrayList<>(system.get("/api/chat/channels/" + channel + "/messages?limit=100",
          bob.getString("token")).bodyAsJsonObject().getJsonArray("messages").stream()
          .map(message -> ((JsonObject) message).getString("id")).toList());
      Collections.reverse(reload);
      assertEquals(reload, live.stream().map(event -> event.getString("messageId")).toList());
      JsonObject first = live.get(0);
      assertEquals(ann.getString("id"), first.getString("userId"));
      assertEquals("Ann Seq", first.getJsonObject("user").getString("name"));
      assertEquals(first.getJsonObject("message").getString("content"), first.getString("content"));
      assertEquals(first.getJsonObject("message").getString("created_at"), first.getString("created_at"));
    }
  }

  @Test
  @DisplayName("after a disconnect a member fetches exactly the events it missed, membership included; outsiders get 403")
  void resumeAfterDisconnect() {
    JsonObject ann = system.signUp("ann.resume@example.com", "Ann Resume");
    JsonObject bob = system.signUp("bob.resume@example.com", "Bob Resume");
    JsonObject carol = system.signUp("carol.resume@example.com", "Carol Resume");
    String channel = channelOf(ann, bob);
    long seen;
    try (BridgeClient bobSocket = new BridgeClient(system.vertx, system.port)) {
      bobSocket.register(Addresses.channel(channel), bob.getString("token"));
      BridgeClient.settle();
      system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
          new JsonObject().put("content", "while connected"));
      seen = event(bobSocket, "new_message").getLong("seq");
    }
    JsonObject missed = system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
        new JsonObject().put("content", "while away")).bodyAsJsonObject().getJsonObject("message");
    system.put("/api/chat/messages/" + missed.getString("id"), ann.getString("token"),
        new JsonObject().put("content", "while away, edited"));
    system.post("/api/chat/channels/" + channel + "/members", ann.getString("token"),
        new JsonObject().put("user_id", carol.getString("id")));

    HttpResponse<Buffer> resumed = system.contract.assertConforms("listChannelEvents",
        eventsAfter(channel, bob.getString("token"), seen));
    assertEquals(200, resumed.statusCode(), resumed.bodyAsString());
    JsonArray events = resumed.bodyAsJsonObject().getJsonArray("events");
    assertEquals(List.of("new_message", "message_updated", "member_joined"),
        events.stream().map(event -> ((JsonObject) event).getString("type")).toList(), events.encode());
    assertEquals(missed.getLong("seq"), events.getJsonObject(0).getLong("seq"));
    assertEquals(carol.getString("id"), events.getJsonObject(2).getString("userId"));
    for (int i = 0; i < events.size(); i++) {
      assertTrue(events.getJsonObject(i).getLong("seq") > (i == 0 ? seen : events.getJsonObject(i - 1).getLong("seq")));
    }

    try (BridgeClient bobSocket = new BridgeClient(system.vertx, system.port)) {
      bobSocket.register(Addresses.channel(channel), bob.getString("token"));
      BridgeClient.settle();
      system.delete("/api/chat/channels/" + channel + "/members/" + carol.getString("id"), ann.getString("token"));
      JsonObject left = event(bobSocket, "member_left");
      assertEquals(carol.getString("id"), left.getString("userId"));
      assertTrue(left.getLong("seq") > events.getJsonObject(2).getLong("seq"));
    }
    assertError(eventsAfter(channel, carol.getString("token"), 0), 403);
    assertError(eventsAfter(channel, bob.getString("token"), -1), 400);
  }

  @Test
  @DisplayName("a user's own address numbers DMs and read positions per user, and the user resumes them after a gap")
  void userAddressResumes() {
    JsonObject ann = system.signUp("ann.me@example.com", "Ann Me");
    JsonObject bob = system.signUp("bob.me@example.com", "Bob Me");
    String bobToken = bob.getString("token");
    long seen;
    try (BridgeClient bobSocket = new BridgeClient(system.vertx, system.port)) {
      bobSocket.register(Addresses.user(bob.getString("id")), bobToken);
      BridgeClient.settle();
      system.post("/api/dm/users/" + bob.getString("id") + "/messages", ann.getString("token"),
          new JsonObject().put("content", "first"));
      JsonObject live = event(bobSocket, "new_message");
      assertEquals("first", live.getString("content"));
      assertEquals(ann.getString("id"), live.getString("userId"));
      seen = live.getLong("seq");
    }
    JsonObject sent = system.post("/api/dm/users/" + bob.getString("id") + "/messages", ann.getString("token"),
        new JsonObject().put("content", "while away")).bodyAsJsonObject();
    system.post("/api/dm/channels/" + sent.getString("dm_channel_id") + "/read", bobToken, new JsonObject());

    // The read event is published after the read mark answers: poll for it with a deadline.
    long deadline = System.currentTimeMillis() + WAIT_MS;
    JsonArray events;
    do {
      HttpResponse<Buffer> resumed = system.contract.assertConforms("listMyEvents",
          system.get("/api/users/me/events?after_seq=" + seen, bobToken));
      assertEquals(200, resumed.statusCode(), resumed.bodyAsString());
      events = resumed.bodyAsJsonObject().getJsonArray("events");
    } while (events.size() < 2 && System.currentTimeMillis() < deadline);
    assertEquals(List.of("new_message", "read"),
        events.stream().map(event -> ((JsonObject) event).getString("type")).toList(), events.encode());
    assertEquals("while away", events.getJsonObject(0).getString("content"));
    assertEquals(seen + 1, events.getJsonObject(0).getLong("seq"));
    assertEquals(seen + 2, events.getJsonObject(1).getLong("seq"));
    assertError(system.get("/api/users/me/events?after_seq=0", null), 401);
  }

  @Test
  @DisplayName("beyond EVENT_RETENTION_HOURS a resume answers 410 GONE: reload the history")
  void beyondRetentionIsGone() {
    TestSystem forgetful = new TestSystem(new JsonObject().put("EVENT_RETENTION_HOURS", 0));
    try {
      JsonObject ann = forgetful.signUp("ann.gone@example.com", "Ann Gone");
      String token = ann.getString("token");
      String channel = forgetful.post("/api/chat/channels", token, new JsonObject().put("name", "gone"))
          .bodyAsJsonObject().getJsonObject("channel").getString("id");
      long first = forgetful.post("/api/chat/channels/" + channel + "/messages/send", token,
          new JsonObject().put("content", "one")).bodyAsJsonObject().getJsonObject("message").getLong("seq");
      forgetful.post("/api/chat/channels/" + channel + "/messages/send", token, new JsonObject().put("content", "two"));

      HttpResponse<Buffer> gone = forgetful.contract.assertConforms("listChannelEvents",
          forgetful.get("/api/chat/channels/" + channel + "/events?after_seq=" + first, token));
      JsonObject error = assertError(gone, 410);
      assertEquals("GONE", error.getString("error"));
      assertEquals(first, error.getJsonObject("details").getLong("after_seq"));
      long latest = error.getJsonObject("details").getLong("latest_seq");
      assertEquals(0, forgetful.get("/api/chat/channels/" + channel + "/events?after_seq=" + latest, token)
          .bodyAsJsonObject().getJsonArray("events").size());
      assertError(forgetful.contract.assertConforms("listMyEvents",
          forgetful.get("/api/users/me/events?after_seq=0", token)), 410);
    } finally {
      forgetful.close();
    }
  }
}
