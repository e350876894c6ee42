package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Protocol corners a contract tester found: CORS refusals, odd bodies, 405s, query text and path coercion. */
class HttpEdgesTest {

  private static TestSystem system;
  private static JsonObject ann;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject().put("CORS_ORIGINS", "http://app.example.com"));
    ann = system.signUp("ann.edges@example.com", "Ann Edges");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName("a disallowed Origin, on a preflight or a simple request, is 403 in the standard error format")
  void corsRefusal() {
    HttpResponse<Buffer> preflight = system.http.request(HttpMethod.OPTIONS, "/api/chat/channels")
        .putHeader("Origin", "http://evil.example.com").putHeader("Access-Control-Request-Method", "GET")
        .send().await();
    assertError(preflight, 403);
    assertError(system.http.get("/api/auth/status").putHeader("Origin", "http://evil.example.com").send().await(), 403);
    HttpResponse<Buffer> allowed = system.http.get("/api/auth/status").putHeader("Origin", "http://app.example.com")
        .send().await();
    assertEquals(200, allowed.statusCode());
    assertEquals("http://app.example.com", allowed.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  @DisplayName("a GET, HEAD or OPTIONS carrying a multipart body is a 415 (HEAD: 405), never a 500")
  void multipartOnBodylessMethods() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS}) {
      HttpResponse<Buffer> response = system.http.request(method, "/api/chat/channels")
          .bearerTokenAuthentication(ann.getString("token"))
          .putHeader("Content-Type", "multipart/form-data; boundary=xyz")
          .sendBuffer(Buffer.buffer("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xyz--\r\n"))
          .await();
      // HEAD is no operation of the contract: 405 before the body is looked at.
      int expected = method == HttpMethod.HEAD ? 405 : 415;
      assertEquals(expected, response.statusCode(), method + ": " + response.statusCode());
      if (method != HttpMethod.HEAD) {
        assertError(response, response.statusCode());
      }
    }
  }

  @Test
  @DisplayName("a 405 names the path's methods in an Allow header")
  void allowHeader() {
    HttpResponse<Buffer> response = system.http.request(HttpMethod.PATCH, "/api/chat/channels")
        .bearerTokenAuthentication(ann.getString("token")).send().await();
    assertError(response, 405);
    assertEquals("GET, POST", response.getHeader("Allow"));
    HttpResponse<Buffer> delete = system.delete("/api/auth/status", ann.getString("token"));
    assertError(delete, 405);
    assertEquals("GET", delete.getHeader("Allow"));
    HttpResponse<Buffer> head = system.http.head("/api/auth/status").send().await();
    assertEquals(405, head.statusCode());
    assertEquals("GET", head.getHeader("Allow"), "the contract has no HEAD operations, and Allow says so");
  }

  @Test
  @DisplayName("a string query parameter is taken as the text it is: control characters, quotes and numbers included")
  void queryTextIsText() {
    for (String q : new String[] {"a%10b", "%221%22", "1e5", "%5B1%5D", "12.5"}) {
      HttpResponse<Buffer> response = system.get("/api/chat/search?q=" + q, ann.getString("token"));
      assertEquals(200, response.statusCode(), q + ": " + response.bodyAsString());
    }
  }

  @Test
  @DisplayName("a query value is decoded once: percent signs and plus signs in it arrive as sent")
  void queryDecodedOnce() {
    String channel = system.post("/api/chat/channels", ann.getString("token"), new JsonObject()
        .put("name", "decode-once").put("type", "public")).bodyAsJsonObject().getJsonObject("channel").getString("id");
    assertEquals(201, system.post("/api/chat/channels/" + channel + "/messages/send", ann.getString("token"),
        new JsonObject().put("content", "grew 100% with C++ and a%2Bb")).statusCode());
    for (String q : new String[] {"100%25", "C%2B%2B", "a%252Bb"}) {
      HttpResponse<Buffer> response = system.get("/api/chat/search?q=" + q + "&channel_id=" + channel,
          ann.getString("token"));
      assertEquals(200, response.statusCode(), q + ": " + response.bodyAsString());
      assertEquals(1, response.bodyAsJsonObject().getJsonArray("messages").size(), q + ": " + response.bodyAsString());
    }
    assertEquals(0, system.get("/api/chat/search?q=a%2Bb&channel_id=" + channel, ann.getString("token"))
        .bodyAsJsonObject().getJsonArray("messages").size(), "a+b is not a%2Bb");
  }

  @Test
  @DisplayName("a header parameter is taken as sent, not URL-decoded: Idempotency-Key k+1 and k%2B1 are two keys")
  void headersNotDecoded() {
    String channel = system.post("/api/chat/channels", ann.getString("token"), new JsonObject()
        .put("name", "headers-as-sent").put("type", "public")).bodyAsJsonObject().getJsonObject("channel").getString("id");
    java.util.function.Function<String, HttpResponse<Buffer>> send = key -> system.http
        .post("/api/chat/channels/" + channel + "/messages/send").bearerTokenAuthentication(ann.getString("token"))
        .putHeader("Idempotency-Key", key).sendJson(new JsonObject().put("content", "once for " + key)).await();
    HttpResponse<Buffer> plus = send.apply("k+1");
    HttpResponse<Buffer> encoded = send.apply("k%2B1");
    assertEquals(201, plus.statusCode(), plus.bodyAsString());
    assertEquals(201, encoded.statusCode(), encoded.bodyAsString());
    assertEquals(null, encoded.getHeader("Idempotent-Replayed"), "a different key, not a repeat");
    assertEquals("true", send.apply("k+1").getHeader("Idempotent-Replayed"));
  }

  @Test
  @DisplayName("ids are case-insensitive hex everywhere, DM conversation ids included")
  void upperCaseIds() {
    JsonObject bob = system.signUp("bob.edges@example.com", "Bob Edges");
    assertEquals(201, system.post("/api/dm/users/" + bob.getString("id") + "/messages", ann.getString("token"),
        new JsonObject().put("content", "hi")).statusCode());
    String a = ann.getString("id");
    String b = bob.getString("id");
    String dm = "dm_" + (a.compareTo(b) < 0 ? a + "_" + b : b + "_" + a);
    HttpResponse<Buffer> lower = system.get("/api/chat/channels/" + dm + "/messages", ann.getString("token"));
    HttpResponse<Buffer> upper = system.get("/api/chat/channels/" + dm.toUpperCase().replace("DM_", "dm_")
        + "/messages", ann.getString("token"));
    assertEquals(200, upper.statusCode(), upper.bodyAsString());
    assertEquals(lower.bodyAsJsonObject().getJsonArray("messages"), upper.bodyAsJsonObject().getJsonArray("messages"));
    assertEquals(200, system.post("/api/dm/channels/" + dm.toUpperCase().replace("DM_", "dm_") + "/read",
        ann.getString("token"), null).statusCode());
    assertEquals(200, system.get("/api/dm/users/" + b.toUpperCase() + "/messages", ann.getString("token"))
        .statusCode());
  }

  @Test
  @DisplayName("a file name that looks like a number is a file name, not coerced to a number (404, not 400)")
  void numericLookingFileNames() {
    String name = "123456789012345678901234567890123456.1";
    HttpResponse<Buffer> response = system.get("/api/files/avatars/" + name, ann.getString("token"));
    assertError(response, 404);
  }
}
