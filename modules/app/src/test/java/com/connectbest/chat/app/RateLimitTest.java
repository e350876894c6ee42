package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  private static TestSystem system;
  private static JsonObject ann;
  private static JsonObject bob;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject().put("RATE_LIMITS", TestSystem.GENEROUS_LIMITS.copy()
        .put("login", new JsonObject().put("per_ip", "1000/1m").put("per_account", "3/1m"))
        .put("register", new JsonObject().put("per_ip", "4/1m"))
        .put("send_message", new JsonObject().put("per_ip", "1000/1m").put("per_account", "3/1m"))));
    ann = system.signUp("ann.rate@example.com", "Ann Rate");
    bob = system.signUp("bob.rate@example.com", "Bob Rate");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static JsonObject assertLimited(HttpResponse<Buffer> response) {
    JsonObject body = assertError(response, 429);
    assertEquals("RATE_LIMITED", body.getString("error"));
    assertNotNull(response.getHeader("Retry-After"));
    assertTrue(Integer.parseInt(response.getHeader("Retry-After")) >= 1);
    return body;
  }

  @Test
  @DisplayName("repeated sign-ins for one account are refused with 429 and Retry-After, other accounts unaffected")
  void loginPerAccount() {
    JsonObject wrong = new JsonObject().put("email", "ann.rate@example.com").put("password", "WrongPass123");
    int refused = 0;
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> response = system.post("/api/auth/login", null, wrong);
      if (response.statusCode() == 429) {
        assertLimited(response);
        refused++;
      } else {
        assertEquals(401, response.statusCode());
      }
    }
    assertTrue(refused >= 2, "only " + refused + " of 5 sign-ins were limited");
    assertLimited(system.post("/api/auth/login", null, wrong.copy().put("email", "ANN.RATE@example.com")));
    assertEquals(200, system.post("/api/auth/login", null, new JsonObject().put("email", "bob.rate@example.com")
        .put("password", TestSystem.PASSWORD)).statusCode());
  }

  @Test
  @DisplayName("registrations from one address are limited")
  void registerPerIp() {
    int refused = 0;
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> response = system.post("/api/auth/register", null, new JsonObject()
          .put("email", "flood" + i + "@example.com").put("password", TestSystem.PASSWORD).put("name", "Flo Od"));
      if (response.statusCode() == 429) {
        assertLimited(response);
        refused++;
      }
    }
    assertTrue(refused >= 2, "only " + refused + " registrations were limited");
  }

  @Test
  @DisplayName("message sending is limited per account, whatever the route, and other senders are unaffected")
  void sendPerAccount() {
    String general = system.get("/api/chat/channels", ann.getString("token")).bodyAsJsonObject().getJsonArray("channels")
        .getJsonObject(0).getString("id");
    for (int i = 0; i < 3; i++) {
      assertEquals(201, system.post("/api/chat/channels/" + general + "/messages/send", ann.getString("token"),
          new JsonObject().put("content", "hi " + i)).statusCode());
    }
    assertLimited(system.post("/api/chat/channels/" + general + "/messages/send", ann.getString("token"),
        new JsonObject().put("content", "one too many")));
    assertEquals(201, system.post("/api/chat/channels/" + general + "/messages/send", bob.getString("token"),
        new JsonObject().put("content", "bob is fine")).statusCode());
  }
}
