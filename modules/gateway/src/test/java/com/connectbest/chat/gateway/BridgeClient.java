package com.connectbest.chat.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A browser stand-in: speaks the vert.x event-bus bridge protocol over the raw SockJS WebSocket endpoint. */
final class BridgeClient implements AutoCloseable {

  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  BridgeClient(Vertx vertx, int port) {
    socket = vertx.createWebSocketClient()
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
        .await();
    socket.handler(buffer -> frames.add(buffer.toJsonObject()));
  }

  void register(String address, String token) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (token != null) {
      frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    }
    socket.writeTextMessage(frame.encode()).await();
  }

  void send(String type, String address, JsonObject body, String token) {
    socket.writeTextMessage(new JsonObject().put("type", type).put("address", address).put("body", body)
        .put("replyAddress", "reply-1")
        .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode()).await();
  }

  /** The next frame, or null if none arrives within the wait. */
  JsonObject next(long millis) {
    try {
      return frames.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
