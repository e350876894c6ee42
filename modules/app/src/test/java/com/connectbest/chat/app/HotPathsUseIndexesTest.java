package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every hot operation, driven through the real API, is answered without reading a whole collection of the store
 * that grows with use. The embedded store's scan log names any query that found no index; a real MongoDB's
 * profiler would show it as {@code COLLSCAN}.
 */
class HotPathsUseIndexesTest {

  /** Collections that grow with the team's history and membership; small ones (channels, files) may be listed. */
  static final Set<String> GROWING = Set.of("messages", "message_reactions", "bookmarks", "channel_members",
      "user_channel_read", "users", "channel_stats", "channel_member_stats", "channel_events",
      "user_events", "user_event_seqs");

  private static TestSystem system;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static JsonObject ok(HttpResponse<Buffer> answer, int status) {
    assertEquals(status / 100, answer.statusCode() / 100, answer::bodyAsString);
    return answer.body() == null || answer.body().length() == 0 ? new JsonObject() : answer.bodyAsJsonObject();
  }

  @Test
  @DisplayName("History, threads, channel list, DMs, sends, deletes, reads, reactions, pins, bookmarks, files, search, membership, bridge registrations and log insights read only index ranges")
  void hotOperationsReadIndexRanges() {
    runHotOperations(system, () -> system.backend().scanLog().reset());

    Map<String, Long> scans = new TreeMap<>();
    system.backend().scanLog().counts().forEach((namespace, count) -> {
      if (GROWING.contains(namespace.substring(namespace.indexOf('.') + 1))) {
        scans.put(namespace + " (last: " + system.backend().scanLog().lastQuery(namespace) + ")", count);
      }
    });
    System.out.println("hot paths: whole-collection reads of growing collections: " + scans);
    assertEquals(Map.of(), scans);
  }

  /**
   * Every hot operation through the API, as two users and an admin: first 30 sends (set-up, not measured), then
   * {@code measureFrom}, then the operations whose store reads are checked.
   */
  static void runHotOperations(TestSystem system, Runnable measureFrom) {
    JsonObject ann = system.signUp("ann.hot@example.com", "Ann Hot");
    JsonObject bob = system.signUp("bob.hot@example.com", "Bob Hot");
    String a = ann.getString("token");
    String b = bob.getString("token");
    String admin = system.signUp("admin@example.com", "Site Admin").getString("token");
    String channel = ok(system.post("/api/chat/channels", a, new JsonObject().put("name", "hot-paths")
        .put("type", "public")), 201).getJsonObject("channel").getString("id");
    ok(system.post("/api/chat/channels/" + channel + "/join", b, new JsonObject()), 200);
    String first = null;
    for (int i = 0; i < 30; i++) {
      JsonObject sent = ok(system.post("/api/chat/channels/" + channel + "/messages/send", i % 2 == 0 ? a : b,
          new JsonObject().put("content", "message " + i)), 201);
      first = first == null ? sent.getJsonObject("message").getString("id") : first;
    }
    measureFrom.run();

    JsonObject file = ok(UploadsTest.upload(system, "/api/upload/message-file", a, "pic.png",
        UploadsTest.file(UploadsTest.PNG, 2_000)), 200);
    String fileUrl = UploadsTest.path(file.getString("file_url"));
    JsonObject withFile = ok(system.post("/api/chat/channels/" + channel + "/messages/send", a, new JsonObject()
        .put("content", "see file").put("attachments", new JsonArray().add(new JsonObject().put("name", "pic.png")
            .put("url", file.getString("file_url")).put("key", file.getString("filename"))))), 201)
        .getJsonObject("message");
    String reply = ok(system.post("/api/chat/messages/" + first + "/replies", b,
        new JsonObject().put("content", "in thread")), 201).getJsonObject("reply").getString("id");
    ok(system.get("/api/chat/messages/" + first + "/replies", a), 200);
    JsonObject page = ok(system.get("/api/chat/channels/" + channel + "/messages?limit=10", a), 200);
    String oldest = page.getJsonArray("messages").getJsonObject(page.getJsonArray("messages").size() - 1).getString("id");
    ok(system.get("/api/chat/channels/" + channel + "/messages?limit=10&before=" + oldest, a), 200);
    ok(system.get("/api/chat/channels", a), 200);
    ok(system.get("/api/chat/channels", b), 200);
    ok(system.post("/api/chat/channels/" + channel + "/read", b, new JsonObject()), 200);
    ok(system.post("/api/chat/channels/" + channel + "/messages/" + first + "/reactions", b,
        new JsonObject().put("emoji", "👍")), 201);
    ok(system.get("/api/chat/channels/" + channel + "/messages?limit=10", b), 200);
    ok(system.post("/api/chat/messages/" + first + "/pin", a, new JsonObject()), 200);
    ok(system.get("/api/chat/channels/" + channel + "/pins", a), 200);
    ok(system.get("/api/chat/channels/" + channel + "/events?after_seq=0", a), 200);
    ok(system.get("/api/chat/channels/" + channel + "/events?after_seq=5&limit=3", a), 200);
    ok(system.get("/api/users/me/events?after_seq=0", b), 200);
    ok(system.post("/api/chat/messages/" + reply + "/bookmark", a, new JsonObject()), 201);
    ok(system.get("/api/chat/bookmarks", a), 200);
    ok(system.post("/api/dm/users/" + bob.getString("id") + "/messages", a, new JsonObject().put("content", "hi")), 201);
    ok(system.get("/api/dm/conversations", b), 200);
    ok(system.get("/api/dm/users/" + ann.getString("id") + "/messages", b), 200);
    ok(system.get("/api/chat/search?q=message&channel_id=" + channel, a), 200);
    ok(system.get("/api/auth/me", a), 200);
    ok(system.get(fileUrl, b), 302);
    java.net.URI signed = java.net.URI.create(file.getString("file_url"));
    ok(system.get(signed.getRawPath() + "?" + signed.getRawQuery(), null), 302);
    ok(system.get("/api/metrics/logs-insights", admin), 200);
    ok(system.put("/api/chat/messages/" + withFile.getString("id"), a, new JsonObject().put("content", "edited")), 200);
    // Membership: every question is a store query now (no roster in memory), so each must read an index range.
    ok(system.get("/api/chat/channels/" + channel, b), 200);
    String cursor = ok(system.get("/api/chat/channels/" + channel + "?members_limit=1", b), 200)
        .getJsonObject("channel").getString("members_next_cursor");
    ok(system.get("/api/chat/channels/" + channel + "?members_limit=1&members_cursor=" + cursor, b), 200);
    ok(system.post("/api/chat/channels/" + channel + "/typing", b, new JsonObject().put("typing", true)), 200);
    ok(system.get("/api/chat/channels/" + channel + "/typing", a), 200);
    // A client (re)connecting: its registrations are checked with one batched query per burst (checkAccessMany).
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.user(bob.getString("id")), b);
      socket.register(Addresses.channel(channel), b);
    }
    ok(system.delete("/api/chat/channels/" + channel + "/members/" + bob.getString("id"), a), 200);
    ok(system.get("/api/chat/channels/" + channel + "/messages?limit=10", b), 403);
    ok(system.post("/api/chat/channels/" + channel + "/members", a, new JsonObject().put("user_id", bob.getString("id"))),
        200);
    ok(system.post("/api/chat/channels/" + channel + "/read", b, new JsonObject()), 200);
    ok(system.get("/api/chat/channels/" + channel + "/messages?limit=10", a), 200);
    ok(system.get("/api/chat/bookmarks", b), 200);
    ok(system.delete("/api/chat/messages/" + withFile.getString("id"), a), 200);
    ok(system.get("/api/chat/channels", b), 200);
  }
}
