package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ClientAddressTest {

  private static final String CHANNEL = "507f1f77bcf86cd799439022";

  @Test
  @DisplayName("behind trusted proxies the client is the right-most X-Forwarded-For entry that is not a proxy")
  void rightMostUntrusted() {
    TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "127.0.0.1"), null);
    assertEquals("203.0.113.7", proxies.clientAddress("10.0.0.2", "203.0.113.7", null));
    assertEquals("203.0.113.7", proxies.clientAddress("10.0.0.2", "198.51.100.1, 203.0.113.7", null),
        "a forged left-most entry is ignored");
    assertEquals("203.0.113.7", proxies.clientAddress("127.0.0.1", "1.2.3.4,203.0.113.7, 10.1.1.1 ,10.2.2.2", null),
        "a chain of trusted proxies is skipped");
    assertEquals("10.9.9.9", proxies.clientAddress("10.0.0.2", "10.9.9.9, 10.0.0.3", null),
        "when every hop is a proxy, the left-most one");
    assertEquals("192.0.2.1", proxies.clientAddress("192.0.2.1", "203.0.113.7", null),
        "an untrusted peer's header is ignored");
    assertEquals("10.0.0.2", proxies.clientAddress("10.0.0.2", " , ", null), "an empty header means the peer");
  }

  @Test
  @DisplayName("a proxy trusted by its shared secret counts only the entry it appended, not the client's own ones")
  void secretTrustedProxy() {
    TrustedProxies proxies = new TrustedProxies(List.of(), "proxy-secret");
    assertEquals("203.0.113.7", proxies.clientAddress("192.0.2.1", "198.51.100.1, 203.0.113.7", "proxy-secret"));
    assertEquals("192.0.2.1", proxies.clientAddress("192.0.2.1", "198.51.100.1, 203.0.113.7", "wrong"));
  }

  @Test
  @DisplayName("a forged X-Forwarded-For cannot dodge the per-IP limit behind a trusted proxy")
  void forgedHeaderCannotDodgeLimit(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("TRUSTED_PROXIES", "127.0.0.0/8")
        .put("RATE_LIMITS", new JsonObject().put("send_message",
            new JsonObject().put("per_ip", "2/1m").put("per_account", "off"))));
    String token = gateway.aliceToken();
    assertEquals(200, send(gateway, token, "203.0.113.7").statusCode());
    assertEquals(200, send(gateway, token, "203.0.113.7").statusCode());
    for (String forged : List.of("198.51.100.1, 203.0.113.7", "198.51.100.2,203.0.113.7", "unknown, 203.0.113.7")) {
      HttpResponse<Buffer> refused = send(gateway, token, forged);
      assertEquals(429, refused.statusCode(), forged + ": " + refused.bodyAsString());
    }
    assertEquals(200, send(gateway, token, "203.0.113.8").statusCode(), "another client keeps its own allowance");
  }

  private static HttpResponse<Buffer> send(GatewayHarness gateway, String token, String forwardedFor) {
    return gateway.client.post("/api/chat/channels/" + CHANNEL + "/messages/send").bearerTokenAuthentication(token)
        .putHeader("X-Forwarded-For", forwardedFor).sendJsonObject(new JsonObject().put("content", "hi")).await();
  }
}
