package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The original Next.js frontend's requests, replayed exactly as its proxy routes send them (a Bearer JWT it signs
 * itself with the shared secret, the X-User-* headers, {@code Content-Type: application/json} even without a body,
 * no query string on the history routes), and what its pages read from the answers. A browser's own requests (an
 * {@code <img src>} of a {@code file_url}) carry no Authorization header at all.
 */
class FrontendReplayTest {

  private static TestSystem system;
  private static JWTAuth frontendSigner;
  private static WebClient browser;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    frontendSigner = JWTAuth.create(system.vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(TestSystem.SECRET)));
    browser = WebClient.create(system.vertx, new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /** A user as the frontend knows it after sign-in: its own JWT, as its getUserHeaders() signs it. */
  private record Session(String id, String email, String name, String jwt) {
  }

  private static Session session(String email, String name) {
    JsonObject user = system.signUp(email, name);
    String id = user.getString("id");
    String jwt = frontendSigner.generateToken(new JsonObject().put("user_id", id).put("id", id).put("sub", id)
        .put("email", email).put("role", "user").put("name", name).put("phone", null),
        new JWTOptions().setAlgorithm("HS256").setExpiresInMinutes(168 * 60));
    return new Session(id, email, name, jwt);
  }

  /** A request from the frontend's proxy: its headers on every call, a JSON body or none. */
  private static HttpResponse<Buffer> proxy(Session as, HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = system.http.request(method, path)
        .putHeader("Authorization", "Bearer " + as.jwt())
        .putHeader("X-User-ID", as.id()).putHeader("X-User-Email", as.email()).putHeader("X-User-Role", "user")
        .putHeader("Content-Type", "application/json");
    return body == null ? request.send().await() : request.sendBuffer(body.toBuffer()).await();
  }

  private static JsonObject ok(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }

  /** What a browser does with a URL from an answer: fetches it with no header (here, on the test's own address). */
  private static HttpResponse<Buffer> browserGet(String url) {
    URI uri = URI.create(url);
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return browser.get(system.port, "127.0.0.1", path).send().await();
  }

  @Test
  @DisplayName("sign-in, chat, reactions, bookmarks, edits, files, profile, typing and DMs work as the frontend calls them")
  void frontendSession() {
    Session ann = session("ann.replay@example.com", "Ann Replay");
    Session bob = session("bob.replay@example.com", "Bob Replay");

    // After sign-in.
    assertTrue(ok(proxy(ann, HttpMethod.GET, "/api/users", null), 200).containsKey("users"));
    assertEquals(ann.id(), ok(proxy(ann, HttpMethod.GET, "/api/auth/me", null), 200).getJsonObject("user")
        .getString("id"));
    ok(proxy(ann, HttpMethod.GET, "/api/chat/channels", null), 200);
    ok(proxy(ann, HttpMethod.GET, "/api/dm/conversations", null), 200);
    assertEquals("online", ok(proxy(ann, HttpMethod.PUT, "/api/users/me", new JsonObject().put("status", "online")),
        200).getJsonObject("user").getString("status"));

    // The profile page without an avatar.
    JsonObject profile = ok(proxy(ann, HttpMethod.PUT, "/api/users/me", new JsonObject().put("name", "Ann Replayed")
        .put("avatar", "").put("status_message", "")), 200).getJsonObject("user");
    assertEquals("Ann Replayed", profile.getString("name"));
    assertNull(profile.getString("avatar"));

    // A channel, three messages, the history as the page loads it (no query string): newest first.
    String channel = ok(proxy(ann, HttpMethod.POST, "/api/chat/channels", new JsonObject().put("name", "replay-room")
        .put("type", "public")), 201).getJsonObject("channel").getString("id");
    ok(proxy(bob, HttpMethod.POST, "/api/chat/channels/" + channel + "/join", null), 200);
    for (String text : List.of("one", "two", "three")) {
      ok(proxy(ann, HttpMethod.POST, "/api/chat/channels/" + channel + "/messages/send",
          new JsonObject().put("content", text)), 201);
    }
    JsonArray history = ok(proxy(bob, HttpMethod.GET, "/api/chat/channels/" + channel + "/messages", null), 200)
        .getJsonArray("messages");
    assertEquals(List.of("three", "two", "one"), history.stream().map(JsonObject.class::cast)
        .map(m -> m.getString("content")).toList(), "the frontend reverses each page");
    JsonObject newest = history.getJsonObject(0);
    String messageId = newest.getString("id");
    assertEquals("Ann Replayed", newest.getJsonObject("user").getString("name"));
    assertFalse(newest.getBoolean("is_edited"));
    assertEquals(new JsonArray(), newest.getJsonArray("bookmarked_by_users"));

    // Reactions: added with a body, removed with a bodyless DELETE.
    String reactions = "/api/chat/channels/" + channel + "/messages/" + messageId + "/reactions";
    ok(proxy(bob, HttpMethod.POST, reactions, new JsonObject().put("emoji", "👍")), 200);
    JsonObject removed = ok(proxy(bob, HttpMethod.DELETE, reactions, null), 200);
    assertEquals(new JsonArray(), removed.getJsonArray("reactions"));

    // Bookmarks survive a reload; edits are labelled.
    assertTrue(ok(proxy(bob, HttpMethod.POST, "/api/chat/messages/" + messageId + "/bookmark", null), 200)
        .getBoolean("bookmarked"));
    ok(proxy(ann, HttpMethod.PUT, "/api/chat/messages/" + messageId, new JsonObject().put("content", "three!")), 200);
    JsonObject reloaded = ok(proxy(bob, HttpMethod.GET, "/api/chat/channels/" + channel + "/messages", null), 200)
        .getJsonArray("messages").getJsonObject(0);
    assertEquals(new JsonArray().add(bob.id()), reloaded.getJsonArray("bookmarked_by_users"));
    assertTrue(reloaded.getBoolean("bookmarked"));
    assertTrue(reloaded.getBoolean("is_edited"));
    assertEquals(new JsonArray(), ok(proxy(ann, HttpMethod.GET, "/api/chat/channels/" + channel + "/messages", null),
        200).getJsonArray("messages").getJsonObject(0).getJsonArray("bookmarked_by_users"), "never another user's id");

    // A file: uploaded through the proxy (multipart), attached, shown in <img src> by both members' browsers.
    HttpResponse<Buffer> uploaded = system.http.post("/api/upload/message-file")
        .putHeader("Authorization", "Bearer " + ann.jwt()).putHeader("X-User-ID", ann.id())
        .sendMultipartForm(MultipartForm.create().binaryFileUpload("file", "pic.png",
            UploadsTest.file(UploadsTest.PNG, 2_000), "image/png")).await();
    JsonObject file = ok(uploaded, 200);
    assertTrue(file.getString("file_url").startsWith("http://127.0.0.1:" + system.port + "/api/files/messages/"),
        "links point at the port the server listens on: " + file.getString("file_url"));
    assertEquals(302, browserGet(file.getString("file_url")).statusCode(), "the uploader's preview");
    ok(proxy(ann, HttpMethod.POST, "/api/chat/channels/" + channel + "/messages/send", new JsonObject()
        .put("content", "see").put("attachments", new JsonArray().add(new JsonObject().put("name", "pic.png")
            .put("url", file.getString("file_url")).put("type", "image/png").put("size", 2_000)))), 201);
    JsonObject withFile = ok(proxy(bob, HttpMethod.GET, "/api/chat/channels/" + channel + "/messages", null), 200)
        .getJsonArray("messages").getJsonObject(0);
    String bobsUrl = withFile.getJsonArray("attachments").getJsonObject(0).getString("url");
    assertTrue(bobsUrl.contains("viewer=" + bob.id()), bobsUrl);
    assertEquals(302, browserGet(bobsUrl).statusCode(), "Bob's browser loads the image without a header");

    // Typing on the DM page uses dm-<partner id>.
    ok(proxy(ann, HttpMethod.POST, "/api/dm/users/" + bob.id() + "/messages", new JsonObject().put("content", "psst")),
        201);
    ok(proxy(ann, HttpMethod.POST, "/api/chat/channels/dm-" + bob.id() + "/typing",
        new JsonObject().put("typing", true)), 200);
    assertEquals(new JsonArray().add("Ann Replayed"), ok(proxy(bob, HttpMethod.GET,
        "/api/chat/channels/dm-" + ann.id() + "/typing", null), 200).getJsonArray("typing_users"));

    // The DM page's history: newest first, no query string; one's own conversation is refused, not as a send.
    ok(proxy(bob, HttpMethod.POST, "/api/dm/users/" + ann.id() + "/messages", new JsonObject().put("content", "ok")),
        201);
    JsonObject dm = ok(proxy(ann, HttpMethod.GET, "/api/dm/users/" + bob.id() + "/messages", null), 200);
    assertEquals(List.of("ok", "psst"), dm.getJsonArray("messages").stream().map(JsonObject.class::cast)
        .map(m -> m.getString("content")).toList());
    JsonObject self = assertError(proxy(ann, HttpMethod.GET, "/api/dm/users/" + ann.id() + "/messages", null), 400);
    assertFalse(self.getString("message").contains("send"), self.encode());
  }

  @Test
  @DisplayName("a signed file link works only for its file, viewer and lifetime, and only while the viewer may see it")
  void signedFileLinks() {
    Session ann = session("ann.links@example.com", "Ann Links");
    Session bob = session("bob.links@example.com", "Bob Links");
    Session eve = session("eve.links@example.com", "Eve Links");
    String channel = ok(proxy(ann, HttpMethod.POST, "/api/chat/channels", new JsonObject().put("name", "links-room")
        .put("type", "private")), 201).getJsonObject("channel").getString("id");
    ok(proxy(ann, HttpMethod.POST, "/api/chat/channels/" + channel + "/members",
        new JsonObject().put("user_id", bob.id())), 200);
    JsonObject file = ok(UploadsTest.upload(system, "/api/upload/message-file", ann.jwt(), "doc.pdf",
        UploadsTest.file("%PDF-1.7\n".getBytes(), 1_000)), 200);
    String annsUrl = file.getString("file_url");

    assertError(browserGet(annsUrl.replace("viewer=" + ann.id(), "viewer=" + bob.id())), 401);
    assertError(browserGet(annsUrl.replaceAll("signature=[^&]+", "signature=AAAA")), 401);
    assertError(browserGet(annsUrl.replaceAll("expires=\\d+", "expires=1000")), 401);
    assertError(browserGet(annsUrl.substring(0, annsUrl.indexOf('?'))), 401);

    String messageId = ok(proxy(ann, HttpMethod.POST, "/api/chat/channels/" + channel + "/messages/send",
        new JsonObject().put("content", "doc").put("attachments", new JsonArray().add(new JsonObject()
            .put("name", "doc.pdf").put("url", annsUrl)))), 201).getJsonObject("message").getString("id");
    JsonObject forBob = ok(proxy(bob, HttpMethod.GET, "/api/chat/messages/" + messageId, null), 200)
        .getJsonObject("message");
    String bobsUrl = forBob.getJsonArray("attachments").getJsonObject(0).getString("url");
    assertNotEquals(annsUrl, bobsUrl);
    assertEquals(302, browserGet(bobsUrl).statusCode());

    // Eve re-posts the link in her own channel: her view signs it for her, and the file stays hidden from her.
    String evesRoom = ok(proxy(eve, HttpMethod.POST, "/api/chat/channels", new JsonObject().put("name", "eve-links")
        .put("type", "private")), 201).getJsonObject("channel").getString("id");
    JsonObject loot = ok(proxy(eve, HttpMethod.POST, "/api/chat/channels/" + evesRoom + "/messages/send",
        new JsonObject().put("content", "loot").put("attachments", new JsonArray().add(new JsonObject()
            .put("name", "doc.pdf").put("url", bobsUrl)))), 201).getJsonObject("message");
    String evesUrl = loot.getJsonArray("attachments").getJsonObject(0).getString("url");
    assertTrue(evesUrl.contains("viewer=" + eve.id()), evesUrl);
    assertError(browserGet(evesUrl), 404);

    // Once the message is deleted, Bob's link no longer opens the file.
    ok(proxy(ann, HttpMethod.DELETE, "/api/chat/messages/" + messageId, null), 200);
    assertError(browserGet(bobsUrl), 404);
    assertEquals(302, browserGet(annsUrl).statusCode(), "the uploader keeps access to her own file");
  }
}
