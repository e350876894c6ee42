package com.connectbest.chat.common.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A browser stand-in: speaks the vert.x event-bus bridge protocol over the raw SockJS WebSocket endpoint. */
public final class BridgeClient implements AutoCloseable {

  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  public BridgeClient(Vertx vertx, int port) {
    socket = vertx.createWebSocketClient()
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
        .onSuccess(ws -> ws.handler(buffer -> frames.add(buffer.toJsonObject())))
        .await();
  }

  /** Registration is not acknowledged by the bridge: give it a moment before causing events. */
  public static void settle() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void register(String address, String token) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (token != null) {
      frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    }
    socket.writeTextMessage(frame.encode()).await();
  }

  /** Writes any text as one frame, as a misbehaving client might. */
  public void raw(String text) {
    socket.writeTextMessage(text).await();
  }

  public void send(String type, String address, JsonObject body, String token) {
    socket.writeTextMessage(new JsonObject().put("type", type).put("address", address).put("body", body)
        .put("replyAddress", "reply-1")
        .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode()).await();
  }

  /** The next frame whose body has the given event type, skipping others; null if none arrives in time. */
  public JsonObject nextEvent(String type, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
      JsonObject frame = next(left);
      if (frame == null) {
        return null;
      }
      JsonObject body = frame.getJsonObject("body");
      if (body != null && type.equals(body.getString("type"))) {
        return frame;
      }
    }
    return null;
  }

  /** The next frame, or null if none arrives within the wait. */
  public JsonObject next(long millis) {
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
