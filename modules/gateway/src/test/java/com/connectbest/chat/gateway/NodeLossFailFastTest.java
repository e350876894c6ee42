package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.NodeClusterState;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Requests in flight to a service whose only instance died with its node are answered 503 at once, not 504 later. */
@ExtendWith(VertxExtension.class)
class NodeLossFailFastTest {

  private static final long LONG_TIMEOUT_MS = 10_000;

  private static GatewayHarness gateway(Vertx vertx) {
    return new GatewayHarness(vertx, new JsonObject().put("SERVICE_TIMEOUT_MS", LONG_TIMEOUT_MS));
  }

  private static void members(Vertx vertx, int members) {
    NodeClusterState.publish(vertx, new NodeClusterState(true, members, 1, null, System.currentTimeMillis()));
  }

  @Test
  @DisplayName("a request in flight when its service's last instance leaves the cluster gets 503 within 2 s")
  void lastInstanceGone(Vertx vertx) {
    GatewayHarness gateway = gateway(vertx);
    members(vertx, 3);
    // the channels service's only instance takes the request and never answers: its node is about to die
    Promise<Void> reached = Promise.promise();
    MessageConsumer<JsonObject> doomed = vertx.eventBus().consumer(Addresses.CHANNELS, message -> reached.tryComplete());
    doomed.completion().await();
    Future<HttpResponse<Buffer>> pending = gateway.client.get("/api/chat/channels")
        .bearerTokenAuthentication(gateway.aliceToken()).send();
    reached.future().await();
    doomed.unregister().await(); // what the cluster does with a dead member's subscriptions
    long left = System.currentTimeMillis();
    members(vertx, 2);
    HttpResponse<Buffer> response = pending.await();
    long took = System.currentTimeMillis() - left;
    assertEquals(503, response.statusCode(), response.bodyAsString());
    assertEquals("SERVICE_UNAVAILABLE", response.bodyAsJsonObject().getString("error"));
    assertEquals("unknown", response.bodyAsJsonObject().getJsonObject("details").getString("outcome"));
    assertTrue(took < 2_000, "answered " + took + " ms after the member left");
  }

  @Test
  @DisplayName("when another instance of the service is left, requests in flight are not failed by a member leaving")
  void anotherInstanceLeft(Vertx vertx) {
    GatewayHarness gateway = gateway(vertx);
    members(vertx, 3);
    // one instance answers pings (alive) but is slow with this request
    Promise<Void> reached = Promise.promise();
    MessageConsumer<JsonObject> slow = vertx.eventBus().consumer(Addresses.CHANNELS, message -> {
      if (InternalActions.PING.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        message.reply(ServiceReply.ok(new JsonObject()).toJson());
      } else {
        reached.tryComplete();
        vertx.setTimer(1_500, id -> message.reply(ServiceReply.ok(new JsonObject().put("channels",
            new io.vertx.core.json.JsonArray())).toJson()));
      }
    });
    slow.completion().await();
    Future<HttpResponse<Buffer>> pending = gateway.client.get("/api/chat/channels")
        .bearerTokenAuthentication(gateway.aliceToken()).send();
    reached.future().await();
    members(vertx, 2);
    HttpResponse<Buffer> response = pending.await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
  }
}
