package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Uploads through the whole system: the real gateway streams the multipart body to the uploads verticle over the
 * event bus, which stores it in the embedded S3 server and records it; files come back through redirects to
 * presigned URLs, to the people allowed to see them.
 */
class UploadsTest {

  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D',
      'R'};

  private static TestSystem system;
  private static WebClient storage;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    storage = WebClient.create(system.vertx);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static Buffer file(byte[] signature, int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    System.arraycopy(signature, 0, bytes, 0, signature.length);
    return Buffer.buffer(bytes);
  }

  static HttpResponse<Buffer> upload(TestSystem on, String path, String token, String name, Buffer content) {
    HttpRequest<Buffer> request = on.http.post(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendMultipartForm(MultipartForm.create()
        .binaryFileUpload("file", name, content, "application/octet-stream")).await();
  }

  /** The path part of a returned file URL (PUBLIC_URL is not this test's address). */
  static String path(String url) {
    return URI.create(url).getRawPath();
  }

  /** Follows a 302 to storage and returns what storage serves. */
  static HttpResponse<Buffer> follow(HttpResponse<Buffer> redirect) {
    assertEquals(302, redirect.statusCode(), redirect::bodyAsString);
    return storage.getAbs(redirect.getHeader("Location")).send().await();
  }

  private static String createPrivateChannel(JsonObject owner, String name, JsonObject... members) {
    HttpResponse<Buffer> created = system.post("/api/chat/channels", owner.getString("token"),
        new JsonObject().put("name", name).put("type", "private"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String channel = created.bodyAsJsonObject().getJsonObject("channel").getString("id");
    for (JsonObject member : members) {
      assertEquals(200, system.post("/api/chat/channels/" + channel + "/members", owner.getString("token"),
          new JsonObject().put("user_id", member.getString("id"))).statusCode());
    }
    return channel;
  }

  private static String sendWithAttachment(JsonObject author, String channel, JsonObject attachment) {
    HttpResponse<Buffer> sent = system.post("/api/chat/channels/" + channel + "/messages/send",
        author.getString("token"), new JsonObject().put("content", "the report")
            .put("attachments", new JsonArray().add(attachment)));
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
    return sent.bodyAsJsonObject().getJsonObject("message").getString("id");
  }

  @Test
  @DisplayName("an uploaded avatar becomes my avatar, shows in /api/auth/me, and its URL leads anyone to the same bytes")
  void avatarJourney() {
    JsonObject ann = system.signUp("ann.avatar@example.com", "Ann Avatar");
    Buffer png = file(PNG, 48_000);
    HttpResponse<Buffer> uploaded = system.contract.assertConforms("uploadAvatar",
        upload(system, "/api/upload/avatar", ann.getString("token"), "holiday photo.png", png));
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject body = uploaded.bodyAsJsonObject();
    assertTrue(body.getString("filename").matches("avatars/[0-9a-f-]{36}\\.png"), body.encode());
    assertTrue(body.getString("avatar_url").endsWith("/api/files/" + body.getString("filename")));

    JsonObject me = system.contract.assertConforms("getCurrentUser", system.get("/api/auth/me", ann.getString("token")))
        .bodyAsJsonObject().getJsonObject("user");
    assertEquals(body.getString("avatar_url"), me.getString("avatar"));

    HttpResponse<Buffer> anonymous = system.contract.assertConforms("getFile",
        system.get(path(body.getString("avatar_url")), null));
    HttpResponse<Buffer> download = follow(anonymous);
    assertEquals(200, download.statusCode());
    assertEquals("image/png", download.getHeader("Content-Type"));
    assertEquals(png, download.body());
    assertFalse(anonymous.getHeader("Location").contains(system.port + "/api/"), "a storage URL, not ours");

    HttpResponse<Buffer> viaProfile = system.contract.assertConforms("setMyAvatar",
        upload(system, "/api/users/me/avatar", ann.getString("token"), "second.gif",
            file("GIF89a".getBytes(), 2000)));
    assertEquals("Avatar updated", viaProfile.bodyAsJsonObject().getString("message"));
    assertEquals(viaProfile.bodyAsJsonObject().getString("avatar_url"), system.get("/api/auth/me",
        ann.getString("token")).bodyAsJsonObject().getJsonObject("user").getString("avatar"));

    HttpResponse<Buffer> linked = system.contract.assertConforms("setMyAvatar", system.post("/api/users/me/avatar",
        ann.getString("token"), new JsonObject().put("avatar_url", "https://images.example.com/ann.jpg")));
    assertEquals(200, linked.statusCode(), linked.bodyAsString());
    assertEquals("https://images.example.com/ann.jpg", system.get("/api/auth/me", ann.getString("token"))
        .bodyAsJsonObject().getJsonObject("user").getString("avatar"));
    assertError(system.contract.assertConforms("setMyAvatar", system.post("/api/users/me/avatar",
        ann.getString("token"), new JsonObject().put("avatar_url", "javascript:alert(1)"))), 400);
  }

  @Test
  @DisplayName("a file attached in a private channel: members fetch it; a non-member gets 404, anonymous 401, and re-posting its URL elsewhere grants nothing")
  void messageFileAccess() {
    JsonObject ann = system.signUp("ann.files@example.com", "Ann Files");
    JsonObject bob = system.signUp("bob.files@example.com", "Bob Files");
    JsonObject eve = system.signUp("eve.files@example.com", "Eve Files");
    String channel = createPrivateChannel(ann, "files-team", bob);

    Buffer pdf = file("%PDF-1.7\n".getBytes(), 300_000);
    HttpResponse<Buffer> uploaded = system.contract.assertConforms("uploadMessageFile",
        upload(system, "/api/upload/message-file", ann.getString("token"), "Q3 report.pdf", pdf));
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject file = uploaded.bodyAsJsonObject();
    assertEquals("Q3 report.pdf", file.getString("original_name"));
    assertEquals(300_000, file.getInteger("size"));
    assertEquals("application/pdf", file.getString("type"));
    String url = path(file.getString("file_url"));

    assertEquals(302, system.get(url, ann.getString("token")).statusCode(), "the uploader, before it is shared");
    assertError(system.get(url, bob.getString("token")), 404);

    String messageId = sendWithAttachment(ann, channel, new JsonObject().put("name", file.getString("original_name"))
        .put("url", file.getString("file_url")).put("key", file.getString("filename"))
        .put("size", file.getInteger("size")).put("type", file.getString("type")));

    HttpResponse<Buffer> forBob = system.contract.assertConforms("getFile", system.get(url, bob.getString("token")));
    HttpResponse<Buffer> download = follow(forBob);
    assertEquals(200, download.statusCode());
    assertEquals(pdf, download.body());
    assertEquals("application/pdf", download.getHeader("Content-Type"));
    assertTrue(download.getHeader("Content-Disposition").contains("Q3 report.pdf"));

    JsonObject hidden = assertError(system.contract.assertConforms("getFile", system.get(url, eve.getString("token"))),
        404);
    assertEquals(assertError(system.get("/api/files/messages/123e4567-e89b-12d3-a456-426614174000.pdf",
        eve.getString("token")), 404).getString("message"), hidden.getString("message"), "same as a missing file");
    assertError(system.contract.assertConforms("getFile", system.get(url, null)), 401);

    String evesRoom = createPrivateChannel(eve, "eve-room");
    sendWithAttachment(eve, evesRoom, new JsonObject().put("name", "loot.pdf").put("url", file.getString("file_url"))
        .put("key", file.getString("filename")));
    assertError(system.get(url, eve.getString("token")), 404);

    assertEquals(200, system.delete("/api/chat/messages/" + messageId, ann.getString("token")).statusCode());
    assertError(system.get(url, bob.getString("token")), 404);
    assertEquals(302, system.get(url, ann.getString("token")).statusCode());
  }

  @Test
  @DisplayName("refused uploads: content that is not what its name says, executables, wrong extensions, no file, too big")
  void refusedUploads() {
    JsonObject ann = system.signUp("ann.refused@example.com", "Ann Refused");
    String token = ann.getString("token");
    JsonObject fake = assertError(system.contract.assertConforms("uploadAvatar",
        upload(system, "/api/upload/avatar", token, "me.png", file("<html>".getBytes(), 500))), 400);
    assertEquals("The file content does not match its .png extension", fake.getString("message"));
    JsonObject exe = assertError(system.contract.assertConforms("uploadMessageFile",
        upload(system, "/api/upload/message-file", token, "invoice.pdf", file("MZ".getBytes(), 70_000))), 400);
    assertEquals("Executable files are not allowed", exe.getString("message"));
    Buffer text = Buffer.buffer("a,b\n1,2\n");
    text.appendByte((byte) 0);
    assertError(upload(system, "/api/upload/message-file", token, "data.csv", text), 400);
    assertError(system.contract.assertConforms("uploadMessageFile",
        upload(system, "/api/upload/message-file", token, "tool.exe", file("MZ".getBytes(), 100))), 400);
    assertError(upload(system, "/api/upload/avatar", token, "doc.pdf", file("%PDF-".getBytes(), 100)), 400);
    JsonObject none = assertError(system.contract.assertConforms("uploadMessageFile", system.http
        .post("/api/upload/message-file").bearerTokenAuthentication(token)
        .sendMultipartForm(MultipartForm.create().attribute("comment", "forgot the file")).await()), 400);
    assertEquals("No file provided", none.getString("message"));
    assertError(system.contract.assertConforms("uploadAvatar", upload(system, "/api/upload/avatar", token, "big.png",
        file(PNG, 5 * 1024 * 1024 + 200_000))), 413);
    assertError(system.contract.assertConforms("uploadAvatar",
        upload(system, "/api/upload/avatar", null, "me.png", file(PNG, 500))), 401);
    assertEquals(null, system.get("/api/auth/me", token).bodyAsJsonObject().getJsonObject("user").getString("avatar"),
        "no refused upload touched the profile");
  }

  @Test
  @DisplayName("a body over MAX_CONTENT_LENGTH is refused 413 while it streams, and the server goes on serving uploads")
  void overTheLimit() {
    try (TestSystem small = new TestSystem(new JsonObject().put("MAX_CONTENT_LENGTH", 1024 * 1024))) {
      JsonObject ann = small.signUp("ann.limit@example.com", "Ann Limit");
      JsonObject body = assertError(small.contract.assertConforms("uploadMessageFile",
          upload(small, "/api/upload/message-file", ann.getString("token"), "big.zip",
              file("PK\u0003\u0004".getBytes(), 3 * 1024 * 1024))), 413);
      assertEquals("PAYLOAD_TOO_LARGE", body.getString("error"));

      assertEquals(200, small.get("/api/auth/status", null).statusCode());
      HttpResponse<Buffer> fits = upload(small, "/api/upload/message-file", ann.getString("token"), "small.zip",
          file("PK\u0003\u0004".getBytes(), 500_000));
      assertEquals(200, fits.statusCode(), fits.bodyAsString());
      assertEquals(302, small.get(path(fits.bodyAsJsonObject().getString("file_url")), ann.getString("token"))
          .statusCode());
    }
  }
}
