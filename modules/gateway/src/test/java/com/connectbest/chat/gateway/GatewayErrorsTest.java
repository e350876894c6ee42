package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GatewayErrorsTest {

  private GatewayHarness gateway;

  @BeforeEach
  void deploy(Vertx vertx) {
    gateway = new GatewayHarness(vertx, new JsonObject());
  }

  static JsonObject assertError(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), () -> "body: " + response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getString("error"), body::encode);
    assertNotNull(body.getString("message"));
    assertTrue(body.containsKey("details"), "details is always present");
    assertNotNull(java.time.Instant.parse(body.getString("timestamp")));
    return body;
  }

  @Test
  @DisplayName("an unknown route answers 404 in the standard error format")
  void unknownRoute() {
    assertError(gateway.client.get("/api/nothing/here").send().await(), 404, "NOT_FOUND");
    assertError(gateway.client.get("/nowhere").send().await(), 404, "NOT_FOUND");
  }

  @Test
  @DisplayName("a wrong method on a known path answers 405 in the standard error format")
  void wrongMethod() {
    assertError(gateway.client.patch("/api/auth/status").send().await(), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  @DisplayName("a protected operation without credentials answers 401 before its input is validated")
  void unauthenticatedBeforeValidation() {
    assertError(gateway.client.post("/api/chat/channels").sendJsonObject(new JsonObject().put("name", 42)).await(),
        401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("a body that breaks the contract answers 400 with the validation details")
  void contractViolation() {
    JsonObject body = assertError(gateway.client.post("/api/auth/register")
        .sendJsonObject(new JsonObject().put("email", 12).put("password", "x")).await(), 400, "VALIDATION_ERROR");
    assertNotNull(body.getJsonObject("details"));
  }

  @Test
  @DisplayName("a malformed id in a path answers 400, not 404 or 500")
  void malformedPathId() {
    assertError(gateway.client.get("/api/chat/messages/not-an-id").bearerTokenAuthentication(gateway.aliceToken())
        .send().await(), 400, "VALIDATION_ERROR");
  }

  @Test
  @DisplayName("a URI too long for the HTTP codec still answers in the standard error format")
  void uriTooLong() {
    JsonObject body = assertError(gateway.client.get("/api/users/search?query=" + "x".repeat(20_000)).send().await(),
        414, "BAD_REQUEST");
    assertTrue(body.getString("message").contains("too long"));
  }

  @Test
  @DisplayName("malformed JSON answers 400")
  void malformedJson() {
    HttpResponse<Buffer> response = gateway.client.post("/api/auth/register")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"email\": ")).await();
    assertEquals(400, response.statusCode());
    assertTrue(response.bodyAsJsonObject().getString("error").matches("BAD_REQUEST|VALIDATION_ERROR"));
  }

  @Test
  @DisplayName("a JSON body over the size limit answers 413")
  void tooLarge() {
    String big = "x".repeat(10_000);
    assertError(gateway.client.post("/api/auth/verify-email")
        .sendJsonObject(new JsonObject().put("token", big)).await(), 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  @DisplayName("an operation whose service has no consumer answers 503 quickly")
  void noConsumer() {
    long start = System.nanoTime();
    assertError(gateway.client.get("/api/chat/channels").bearerTokenAuthentication(gateway.aliceToken()).send().await(),
        503, "SERVICE_UNAVAILABLE");
    assertTrue((System.nanoTime() - start) / 1_000_000 < 900, "must not wait for the timeout");
  }

  @Test
  @DisplayName("a service that does not answer in time yields 504 saying the outcome is unknown")
  void timeout(Vertx vertx) {
    vertx.eventBus().consumer(Addresses.UPLOADS, message -> { });
    JsonObject body = assertError(gateway.client.get("/api/files/avatars/123e4567-e89b-12d3-a456-426614174000.png")
        .bearerTokenAuthentication(gateway.aliceToken()).send().await(), 504, "GATEWAY_TIMEOUT");
    assertEquals("unknown", body.getJsonObject("details").getString("outcome"));
    assertFalse(body.getJsonObject("details").getBoolean("retry_safe_with_idempotency_key"),
        "the operation takes no Idempotency-Key");
  }

  @Test
  @DisplayName("a send that times out yields 504 saying a retry with the same Idempotency-Key is safe")
  void sendTimeout() {
    gateway.silence(Addresses.MESSAGES);
    JsonObject body = assertError(gateway.client.post("/api/chat/channels/507f1f77bcf86cd799439012/messages/send")
        .bearerTokenAuthentication(gateway.aliceToken()).putHeader("Idempotency-Key", "k-1")
        .sendJsonObject(new JsonObject().put("content", "hi")).await(), 504, "GATEWAY_TIMEOUT");
    assertEquals(new JsonObject().put("outcome", "unknown").put("retry_safe_with_idempotency_key", true),
        body.getJsonObject("details"));
    assertTrue(body.getString("message").contains("Idempotency-Key"), body.getString("message"));
  }

  @Test
  @DisplayName("a service's error keeps its status and its error body")
  void serviceError(Vertx vertx) {
    vertx.eventBus().consumer(Addresses.CHANNELS, message -> {
      ApiException error = ApiException.forbidden("Not a member of this channel");
      message.fail(error.status(), error.toJson().encode());
    });
    JsonObject body = assertError(gateway.client.get("/api/chat/channels/507f1f77bcf86cd799439012")
        .bearerTokenAuthentication(gateway.aliceToken()).send().await(), 403, "FORBIDDEN");
    assertEquals("Not a member of this channel", body.getString("message"));
  }

  @Test
  @DisplayName("a service crash answers 500 without leaking internals")
  void serviceCrash(Vertx vertx) {
    vertx.eventBus().consumer(Addresses.CHANNELS, message -> message.fail(500, "java.lang.NullPointerException at Foo"));
    JsonObject body = assertError(gateway.client.get("/api/chat/channels")
        .bearerTokenAuthentication(gateway.aliceToken()).send().await(), 500, "INTERNAL_ERROR");
    assertFalse(body.encode().contains("NullPointer"));
  }

  @Test
  @DisplayName("the contract is served at /openapi.yaml and Swagger UI at /docs without a CDN")
  void docs() {
    HttpResponse<Buffer> contract = gateway.client.get("/openapi.yaml").send().await();
    assertEquals(200, contract.statusCode());
    assertTrue(contract.bodyAsString().contains("openapi: 3.1"));
    HttpResponse<Buffer> page = gateway.client.get("/docs/").send().await();
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("/openapi.yaml"));
    assertFalse(page.bodyAsString().contains("cdn"));
    assertEquals(200, gateway.client.get("/docs/swagger-ui-bundle.js").send().await().statusCode());
  }

  @Test
  @DisplayName("every response carries security headers and a request id")
  void securityHeaders() {
    HttpResponse<Buffer> response = gateway.client.get("/api/auth/status").putHeader("X-Request-ID", "abc-123")
        .send().await();
    assertEquals("nosniff", response.getHeader("X-Content-Type-Options"));
    assertEquals("DENY", response.getHeader("X-Frame-Options"));
    assertEquals("abc-123", response.getHeader("X-Request-ID"));
    assertNotNull(gateway.client.get("/nowhere").send().await().getHeader("X-Request-ID"));
  }

  @Test
  @DisplayName("a generated request id is a distinct version-4 UUID each time")
  void generatedRequestIds() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      java.util.UUID id = java.util.UUID.fromString(AccessLog.newRequestId());
      assertEquals(4, id.version());
      assertEquals(2, id.variant());
      assertTrue(seen.add(id.toString()));
    }
  }

  @Test
  @DisplayName("the literal path /api/chat/channels/all is not captured by {channelId}")
  void literalPathWins(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.CHANNELS, GatewayHarness::echo);
    HttpResponse<Buffer> response = gateway.client.get("/api/chat/channels/all")
        .bearerTokenAuthentication(gateway.aliceToken()).send().await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("listAllChannels", response.bodyAsJsonObject().getString("action"));
  }
}
