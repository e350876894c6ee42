package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * One browser's connection to the event-bus bridge: the raw SockJS WebSocket endpoint, with the bridge's JSON
 * frames ({@code register} with the token in {@code headers.Authorization}, {@code ping}; {@code rec} and
 * {@code err} back).
 */
final class BridgeSocket {

  /** What the owner of a socket hears from it; called on the socket's event loop. */
  interface Listener {
    void onEvent(BridgeSocket socket, JsonObject event, long arrivalNanos);

    void onError(BridgeSocket socket, String body);

    void onClosed(BridgeSocket socket);
  }

  /** Below the bridge's ping timeout (60 s on our server, 10 s by Vert.x default). */
  private static final long PING_PERIOD_MS = 5_000;
  private static final String PING = new JsonObject().put("type", "ping").encode();

  private final int user;
  private final WebSocket webSocket;
  private final long pingTimer;
  private volatile boolean closed;

  private BridgeSocket(Vertx vertx, int user, WebSocket webSocket, Listener listener) {
    this.user = user;
    this.webSocket = webSocket;
    pingTimer = vertx.setPeriodic(PING_PERIOD_MS, id -> webSocket.writeTextMessage(PING));
    webSocket.handler(buffer -> receive(buffer, listener));
    webSocket.closeHandler(v -> {
      closed = true;
      vertx.cancelTimer(pingTimer);
      listener.onClosed(this);
    });
  }

  static Future<BridgeSocket> connect(Vertx vertx, WebSocketClient client, URI target, int user, Listener listener) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.getHost())
        .setPort(target.getPort() < 0 ? 80 : target.getPort()).setURI("/eventbus/websocket");
    return client.connect(options).map(webSocket -> new BridgeSocket(vertx, user, webSocket, listener));
  }

  int user() {
    return user;
  }

  boolean isOpen() {
    return !closed;
  }

  Future<Void> register(String address, String token) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (token != null) {
      frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    }
    return webSocket.writeTextMessage(frame.encode());
  }

  Future<Void> close() {
    return closed ? Future.succeededFuture() : webSocket.close();
  }

  private void receive(Buffer buffer, Listener listener) {
    long arrivalNanos = System.nanoTime();
    JsonObject frame;
    try {
      frame = buffer.toJsonObject();
    } catch (RuntimeException notJson) {
      listener.onError(this, "unreadable frame");
      return;
    }
    String type = frame.getString("type");
    if ("rec".equals(type) && frame.getValue("body") instanceof JsonObject event) {
      listener.onEvent(this, event, arrivalNanos);
    } else if ("err".equals(type)) {
      // the body is the bridge's short reason; the failure code says whose fault (403 refused, 503/504 overloaded)
      Object code = frame.getValue("failureCode");
      listener.onError(this, code == null ? String.valueOf(frame.getValue("body"))
          : frame.getValue("body") + " " + code);
    }
  }
}
