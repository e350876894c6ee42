package com.connectbest.chat.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DmsVerticleTest {

  @Test
  @DisplayName("the direct-message service answers its HTTP operations 501 NOT_IMPLEMENTED until they are built")
  void answersNotImplemented(Vertx vertx, VertxTestContext test) {
    DeliveryOptions action = new DeliveryOptions().addHeader(ServiceRequest.ACTION_HEADER, "listConversations");
    vertx.deployVerticle(new DmsVerticle())
        .compose(id -> vertx.eventBus().request(Addresses.DMS, new JsonObject(), action))
        .onComplete(test.failing(error -> test.verify(() -> {
          ReplyException reply = assertInstanceOf(ReplyException.class, error);
          assertEquals(501, reply.failureCode());
          assertEquals("NOT_IMPLEMENTED", new JsonObject(reply.getMessage()).getString("error"));
          test.completeNow();
        })));
  }
}
