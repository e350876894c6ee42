package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnsharedRepliesTest {

  private static final String ADDRESS = "service.unshared-replies-test";

  private Vertx vertx;
  private final AtomicReference<JsonObject> answered = new AtomicReference<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ServiceDispatcher dispatcher = new ServiceDispatcher()
        .on("rendered", request -> Future.succeededFuture(ServiceReply.okUnshared(answer())))
        .on("cached", request -> Future.succeededFuture(ServiceReply.ok(answer())));
    dispatcher.register(vertx.eventBus(), ADDRESS).await();
    // a second service of the same process registers the codec again: no error
    new ServiceDispatcher().register(vertx.eventBus(), ADDRESS + ".other").await();
  }

  private JsonObject answer() {
    JsonObject body = new JsonObject().put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("id", "m1")));
    answered.set(body);
    return body;
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("An unshared reply reaches a caller of the same process as it is, any other reply as a copy")
  void onlyUnsharedLocalRepliesSkipTheCopy() {
    ServiceClient client = new ServiceClient(vertx.eventBus());
    ServiceReply rendered = client.send(ADDRESS, ServiceRequest.internal("rendered", new JsonObject())).await();
    assertSame(answered.get(), rendered.body(), "no copy of a body that nothing else holds");
    ServiceReply cached = client.send(ADDRESS, ServiceRequest.internal("cached", new JsonObject())).await();
    assertNotSame(answered.get(), cached.body(), "a body the service may still hold is copied");
    assertEquals(answered.get(), cached.body());
  }

  @Test
  @DisplayName("A request from another process (another origin, or none) gets the standard codec's copy")
  void otherOriginsGetACopy() {
    for (String origin : new String[] {"another-process", null}) {
      DeliveryOptions options = new DeliveryOptions().addHeader(ServiceRequest.ACTION_HEADER, "rendered");
      if (origin != null) {
        options.addHeader(ServiceRequest.ORIGIN_HEADER, origin);
      }
      Message<JsonObject> reply = vertx.eventBus().<JsonObject>request(ADDRESS,
          ServiceRequest.internal("rendered", new JsonObject()).toJson(), options).await();
      Object body = ServiceReply.fromJson(reply.body()).body();
      assertNotSame(answered.get(), body, "origin " + origin);
      assertEquals(answered.get(), body);
    }
  }

  @Test
  @DisplayName("The codec's wire form is the standard JSON codec's, so a message it encodes decodes anywhere")
  void wireFormIsStandard() {
    JsonObject json = new JsonObject().put("a", 1).put("b", new JsonObject().put("c", "ü"));
    io.vertx.core.buffer.Buffer ours = io.vertx.core.buffer.Buffer.buffer();
    io.vertx.core.buffer.Buffer standard = io.vertx.core.buffer.Buffer.buffer();
    new io.vertx.core.eventbus.impl.codecs.JsonObjectMessageCodec().encodeToWire(standard, json);
    new UnsharedJsonCodec().encodeToWire(ours, json);
    assertEquals(standard, ours);
    assertEquals(json, new UnsharedJsonCodec().decodeFromWire(0, standard));
  }
}
