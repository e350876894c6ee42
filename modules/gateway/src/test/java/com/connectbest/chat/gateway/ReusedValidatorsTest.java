package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ReusedValidatorsTest {

  @Test
  @DisplayName("each contract schema gets one validator, which judges exactly as a freshly built one does")
  void validatorsAreReused(Vertx vertx) {
    OpenAPIContract contract = OpenAPIContract.from(vertx, ApiRouter.CONTRACT).await();
    SchemaRepository reused = new ReusedValidators(contract).getSchemaRepository();
    Operation send = contract.operation("sendMessage");
    JsonSchema body = send.getRequestBody().getContent().get("application/json").getSchema();
    assertSame(reused.validator(body), reused.validator(body));
    for (JsonObject input : new JsonObject[] {new JsonObject().put("content", "hello"), new JsonObject(),
        new JsonObject().put("content", 42), new JsonObject().put("content", "x".repeat(5000))}) {
      assertEquals(contract.getSchemaRepository().validator(body).validate(input).getValid(),
          reused.validator(body).validate(input).getValid(), input.encode());
    }
  }
}
