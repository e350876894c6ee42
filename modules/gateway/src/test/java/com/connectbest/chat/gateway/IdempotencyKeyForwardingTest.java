package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Idempotency-Key header reaches the owning service in the envelope, validated by the contract. */
@ExtendWith(VertxExtension.class)
class IdempotencyKeyForwardingTest {

  private static final String CHANNEL_MESSAGES = "/api/chat/channels/507f1f77bcf86cd799439012/messages/send";

  private GatewayHarness gateway;

  @BeforeEach
  void deploy(Vertx vertx) {
    gateway = new GatewayHarness(vertx, new JsonObject());
  }

  private HttpResponse<Buffer> post(String path, String key, JsonObject body) {
    var request = gateway.client.post(path).bearerTokenAuthentication(gateway.aliceToken());
    if (key != null) {
      request.putHeader("idempotency-key", key);
    }
    return request.sendJsonObject(body).await();
  }

  @Test
  @DisplayName("the header travels as idempotency_key in the envelope of channel messages, replies and DMs")
  void headerReachesTheService() {
    for (String path : new String[] {CHANNEL_MESSAGES, "/api/chat/messages/507f1f77bcf86cd799439014/replies",
        "/api/dm/users/507f1f77bcf86cd799439013/messages"}) {
      HttpResponse<Buffer> response = post(path, "3f2b8c1e-7d4a-4e59", new JsonObject().put("content", "hi")
          .put("client_message_id", "3f2b8c1e-7d4a-4e59"));
      assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
      JsonObject envelope = response.bodyAsJsonObject();
      assertEquals("3f2b8c1e-7d4a-4e59", envelope.getString("idempotency_key"), path);
      assertEquals("3f2b8c1e-7d4a-4e59", envelope.getJsonObject("body").getString("client_message_id"), path);
    }
  }

  @Test
  @DisplayName("without the header the envelope carries no idempotency_key")
  void noHeaderNoKey() {
    assertFalse(post(CHANNEL_MESSAGES, null, new JsonObject().put("content", "hi")).bodyAsJsonObject()
        .containsKey("idempotency_key"));
  }

  @Test
  @DisplayName("a key longer than 128 characters or with spaces, in the header or the body, is a 400 from the contract")
  void malformedKeys() {
    JsonObject content = new JsonObject().put("content", "hi");
    for (HttpResponse<Buffer> response : new HttpResponse[] {
        post(CHANNEL_MESSAGES, "k".repeat(129), content),
        post(CHANNEL_MESSAGES, "has space", content),
        post(CHANNEL_MESSAGES, null, content.copy().put("client_message_id", "")),
        post(CHANNEL_MESSAGES, null, content.copy().put("client_message_id", 7))}) {
      GatewayErrorsTest.assertError(response, 400, "VALIDATION_ERROR");
    }
  }
}
