package com.connectbest.chat.gateway;

import com.connectbest.chat.common.testing.WebSockets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway's part of a graceful shutdown: not ready at once, bridge sockets told to go, then no more connections. */
@ExtendWith(VertxExtension.class)
class GatewayDrainTest {

  @Test
  @DisplayName("draining makes readiness 503 at once, closes bridge sockets with 1001, then stops accepting connections")
  void drain(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.METRICS, message -> message.reply(ServiceReply.ok(new JsonObject())
        .toJson()));
    int port = GatewayHarness.freePort();
    GatewayVerticle gateway = new GatewayVerticle();
    vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(new JsonObject().put("PORT", port)
        .put("HOST", "127.0.0.1").put("JWT_SECRET_KEY", GatewayHarness.SECRET).put("READY_SERVICES", "metrics")))
        .await();
    // a fresh connection per request, as probes make them
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(false));
    assertEquals(200, http.get("/health/ready").send().await().statusCode());

    WebSocket socket = WebSockets.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(port).setURI("/eventbus/websocket")).await();
    Promise<String> closed = Promise.promise();
    socket.closeHandler(v -> closed.tryComplete(socket.closeStatusCode() + " " + socket.closeReason()));

    Future<Integer> drained = gateway.drain(Duration.ofSeconds(5));
    HttpResponse<Buffer> ready = http.get("/health/ready").send().await();
    assertEquals(503, ready.statusCode(), ready.bodyAsString());
    assertEquals("shutdown", ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("id"));
    assertEquals("1001 going away: node shutting down", closed.future().await());

    assertEquals(1, drained.await(), "one bridge socket was closed");
    Throwable refused = http.get("/health/live").send().transform(Future::succeededFuture).await().cause();
    // Refused, or (once in CI) accepted by the kernel while the listening socket was closing and then closed
    // unanswered: either way the drained gateway served nothing; an answer would leave no cause.
    assertTrue(refused instanceof ConnectException || refused instanceof HttpClosedException,
        "no connection after the drain: " + refused);
  }
}
