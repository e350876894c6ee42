package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class InlineValidationTest {

  private static ValidatableRequest send(String channelId, JsonObject body) {
    return new ValidatableRequestImpl(Map.of(), Map.of(), Map.of("channelId", new RequestParameterImpl(channelId)),
        Map.of(), new RequestParameterImpl(body.toBuffer()), "application/json");
  }

  @Test
  @DisplayName("requests are validated on the calling thread, with the same verdicts as vertx-openapi's validator")
  void sameVerdictsWithoutAWorker(Vertx vertx) {
    OpenAPIContract contract = new ReusedValidators(OpenAPIContract.from(vertx, ApiRouter.CONTRACT).await());
    InlineValidation inline = new InlineValidation(vertx, contract);
    RequestValidator library = RequestValidator.create(vertx, contract);
    String channel = "65a000000000000000000001";
    ValidatableRequest[] requests = {
        send(channel, new JsonObject().put("content", "hello")),
        send(channel, new JsonObject().put("content", 42)),
        send(channel, new JsonObject()),
        send("not-an-id", new JsonObject().put("content", "hello")),
        send(channel, new JsonObject().put("content", "x".repeat(5000)))};
    int refused = 0;
    for (ValidatableRequest request : requests) {
      Future<ValidatedRequest> ours = inline.validate(request, contract.operation("sendMessage"));
      assertTrue(ours.isComplete(), "validated without leaving the calling thread");
      Future<ValidatedRequest> theirs = library.validate(request, "sendMessage")
          .transform(done -> Future.succeededFuture(done.result()));
      ValidatedRequest expected = theirs.await();
      assertEquals(expected != null, ours.succeeded(), request.getBody().get().toString());
      refused += ours.failed() ? 1 : 0;
      if (expected != null) {
        assertEquals(expected.getBody().getJsonObject(), ours.result().getBody().getJsonObject());
        assertEquals(expected.getPathParameters().get("channelId").getString(),
            ours.result().getPathParameters().get("channelId").getString());
      }
    }
    assertEquals(3, refused, "a number for content, no content, a malformed channel id");
  }
}
