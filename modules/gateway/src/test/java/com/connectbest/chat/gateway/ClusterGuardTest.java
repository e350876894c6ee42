package com.connectbest.chat.gateway;

import com.connectbest.chat.common.testing.WebSockets;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectbest.chat.common.NodeClusterState;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway whose node lost the cluster says so: 503 with Retry-After, not ready, bridge sockets closed. */
@ExtendWith(VertxExtension.class)
class ClusterGuardTest {

  @Test
  @DisplayName("while cut off from the cluster the gateway answers 503 with Retry-After, is not ready, closes its "
      + "bridge sockets with 1013, and serves again once reconnected")
  void cutOff(Vertx vertx) {
    GatewayHarness gateway = new GatewayHarness(vertx, new JsonObject().put("READY_SERVICES", "metrics"));
    assertEquals(200, gateway.client.get("/health/ready").send().await().statusCode());
    WebSocket socket = WebSockets.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(gateway.port).setURI("/eventbus/websocket")).await();
    Promise<String> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode() + " " + socket.closeReason()));

    NodeClusterState.publish(vertx, new NodeClusterState(false, 1, 2, "alone", System.currentTimeMillis()));
    assertEquals("1013 try again later: this node lost the cluster", closed.future().await());
    HttpResponse<Buffer> refused = gateway.client.get("/api/users").bearerTokenAuthentication(gateway.aliceToken())
        .send().await();
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertEquals("SERVICE_UNAVAILABLE", refused.bodyAsJsonObject().getString("error"));
    assertEquals(String.valueOf(ClusterGuard.RETRY_AFTER_SECONDS), refused.getHeader("Retry-After"));
    HttpResponse<Buffer> ready = gateway.client.get("/health/ready").send().await();
    assertEquals(503, ready.statusCode());
    assertEquals("cluster", ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("id"));
    assertEquals(503, gateway.client.get("/eventbus/info").send().await().statusCode(), "no new sockets here");
    assertEquals(200, gateway.client.get("/health/live").send().await().statusCode());

    NodeClusterState.publish(vertx, new NodeClusterState(true, 2, 2, null, System.currentTimeMillis()));
    // The state reaches the gateway as an event: poll (with a deadline) rather than race it.
    long deadline = System.currentTimeMillis() + 5_000;
    int status;
    do {
      status = gateway.client.get("/health/ready").send().await().statusCode();
    } while (status != 200 && System.currentTimeMillis() < deadline);
    assertEquals(200, status);
    assertEquals(200, gateway.client.get("/eventbus/info").send().await().statusCode());
  }
}
