package com.connectbest.chat.gateway;

import static com.connectbest.chat.gateway.GatewayErrorsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GatewayAuthenticationTest {

  private static final String ME = "/api/auth/me";

  private static JsonObject aliceClaims() {
    return new JsonObject().put("user_id", GatewayHarness.ALICE).put("id", GatewayHarness.ALICE)
        .put("sub", GatewayHarness.ALICE).put("email", "alice@example.com").put("role", "user").put("name", "Alice");
  }

  private static HttpResponse<Buffer> me(GatewayHarness gateway, String token) {
    return gateway.client.get(ME).bearerTokenAuthentication(token).send().await();
  }

  @Test
  @DisplayName("a valid HS256 token in the frontend's claim format is accepted and its user forwarded")
  void validToken(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    HttpResponse<Buffer> response = me(gateway, gateway.aliceToken());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(GatewayHarness.ALICE, response.bodyAsJsonObject().getJsonObject("principal").getString("id"));
  }

  @Test
  @DisplayName("the NEXTAUTH_SECRET verifies tokens when JWT_SECRET_KEY is unset")
  void nextAuthSecret(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx,
        new JsonObject().putNull("JWT_SECRET_KEY").put("NEXTAUTH_SECRET", "nextauth-secret-0123456789abcdef"));
    assertEquals(200, me(gateway, gateway.token(aliceClaims(), "HS256", "nextauth-secret-0123456789abcdef", 60))
        .statusCode());
    assertError(me(gateway, gateway.aliceToken()), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("a token signed with another secret is rejected with 401")
  void wrongSecret(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    assertError(me(gateway, gateway.token(aliceClaims(), "HS256", "some-other-secret-0123456789abcdef", 60)),
        401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("an expired token is rejected with 401")
  void expired(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    assertError(me(gateway, gateway.token(aliceClaims(), "HS256", GatewayHarness.SECRET, -120)), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("a token without an expiry is rejected with 401")
  void noExpiry(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    assertError(me(gateway, gateway.token(aliceClaims(), "HS256", GatewayHarness.SECRET, 0)), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("an unsigned token (alg none) is rejected with 401")
  void algNone(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(aliceClaims().put("exp", System.currentTimeMillis() / 1000 + 600).encode()
        .getBytes(StandardCharsets.UTF_8));
    assertError(me(gateway, header + "." + payload + "."), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("a token signed with another algorithm (HS512) is rejected with 401")
  void otherAlgorithm(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    assertError(me(gateway, gateway.token(aliceClaims(), "HS512", GatewayHarness.SECRET, 60)), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("garbage in the Authorization header is rejected with 401, even with identity headers")
  void garbage(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("TRUSTED_PROXIES", "127.0.0.1/32"));
    assertError(gateway.client.get(ME).putHeader("Authorization", "Basic YWxpY2U6c2VjcmV0")
        .putHeader("X-User-ID", GatewayHarness.ALICE).send().await(), 401, "UNAUTHORIZED");
    assertError(me(gateway, "not.a.jwt"), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("the role comes from the auth service, not from a forged admin claim")
  void forgedRole(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    HttpResponse<Buffer> response = me(gateway, gateway.token(aliceClaims().put("role", "admin")));
    assertEquals("user", response.bodyAsJsonObject().getJsonObject("principal").getString("role"));
  }

  @Test
  @DisplayName("a token whose user no longer exists gets 401, and 404 from /api/auth/me")
  void deletedUser(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    String ghost = gateway.token(new JsonObject().put("user_id", GatewayHarness.GHOST).put("email", "g@example.com"));
    assertError(gateway.client.get("/api/users").bearerTokenAuthentication(ghost).send().await(), 401, "UNAUTHORIZED");
    assertError(me(gateway, ghost), 404, "NOT_FOUND");
  }

  @Test
  @DisplayName("identity headers are ignored when no trusted proxy is configured")
  void proxyHeadersOffByDefault(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    assertError(gateway.client.get(ME).putHeader("X-User-ID", GatewayHarness.ALICE)
        .putHeader("X-User-Email", "alice@example.com").putHeader("X-User-Role", "admin").send().await(),
        401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("identity headers from a peer outside TRUSTED_PROXIES are ignored")
  void untrustedPeer(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("TRUSTED_PROXIES", "10.0.0.0/8")
        .put("TRUSTED_PROXY_SECRET", "proxy-secret"));
    assertError(gateway.client.get(ME).putHeader("X-User-ID", GatewayHarness.ALICE).send().await(), 401, "UNAUTHORIZED");
    assertError(gateway.client.get(ME).putHeader("X-User-ID", GatewayHarness.ALICE)
        .putHeader("X-Proxy-Secret", "wrong").send().await(), 401, "UNAUTHORIZED");
  }

  @Test
  @DisplayName("identity headers from a trusted network are believed, with the role from the database")
  void trustedNetwork(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("TRUSTED_PROXIES", "127.0.0.0/8"));
    HttpResponse<Buffer> response = gateway.client.get(ME).putHeader("X-User-ID", GatewayHarness.ALICE)
        .putHeader("X-User-Role", "admin").send().await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("user", response.bodyAsJsonObject().getJsonObject("principal").getString("role"));
  }

  @Test
  @DisplayName("identity headers with the shared proxy secret are believed")
  void proxySecret(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("TRUSTED_PROXY_SECRET", "proxy-secret"));
    HttpResponse<Buffer> response = gateway.client.get(ME).putHeader("X-User-ID", GatewayHarness.ALICE)
        .putHeader("X-Proxy-Secret", "proxy-secret").send().await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  @DisplayName("public operations ignore bad credentials instead of failing")
  void publicOperation(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject());
    HttpResponse<Buffer> response = gateway.client.get("/api/auth/status").bearerTokenAuthentication("junk").send().await();
    assertEquals(200, response.statusCode());
    assertNull(response.bodyAsJsonObject().getJsonObject("principal"));
  }

  @Test
  @DisplayName("CORS answers only the exact configured origins")
  void cors(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("CORS_ORIGINS", "http://localhost:3000"));
    HttpResponse<Buffer> allowed = gateway.client.get("/api/auth/status").putHeader("Origin", "http://localhost:3000")
        .send().await();
    assertEquals("http://localhost:3000", allowed.getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> other = gateway.client.get("/api/auth/status").putHeader("Origin", "http://evil.example")
        .send().await();
    assertNull(other.getHeader("Access-Control-Allow-Origin"));
  }
}
