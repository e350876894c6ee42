package com.connectbest.chat.common.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Raw WebSocket connections for tests. Vert.x 5 closes a {@link WebSocketClient} once nothing references it (a
 * Cleaner), its connections included, so a client made inline and dropped closed sockets mid-handshake whenever a
 * GC ran then ("Connection evicted"). Clients made here stay referenced as long as their Vert.x instance is.
 */
public final class WebSockets {

  private static final Map<Vertx, List<WebSocketClient>> KEPT = Collections.synchronizedMap(new WeakHashMap<>());

  private WebSockets() {
  }

  public static Future<WebSocket> connect(Vertx vertx, int port, String host, String uri) {
    return connect(vertx, new WebSocketConnectOptions().setPort(port).setHost(host).setURI(uri));
  }

  public static Future<WebSocket> connect(Vertx vertx, WebSocketConnectOptions options) {
    return connect(vertx, new WebSocketClientOptions(), options);
  }

  public static Future<WebSocket> connect(Vertx vertx, WebSocketClientOptions client, WebSocketConnectOptions options) {
    WebSocketClient kept = vertx.createWebSocketClient(client);
    KEPT.computeIfAbsent(vertx, v -> new CopyOnWriteArrayList<>()).add(kept);
    return kept.connect(options);
  }
}
