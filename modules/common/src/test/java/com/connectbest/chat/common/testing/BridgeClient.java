package com.connectbest.chat.common.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A browser stand-in: speaks the vert.x event-bus bridge protocol over the raw SockJS WebSocket endpoint. */
public final class BridgeClient implements AutoCloseable {

  /**
   * Held for the socket's whole life: Vert.x 5 closes a client that is no longer referenced (a Cleaner), connections
   * included, so a client kept only as a local closed sockets mid-handshake whenever a GC ran at that moment.
   */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  /** Acknowledgements of registrations ({@code rec} frames with header {@code bridge: registered}), kept apart. */
  private final LinkedBlockingQueue<String> acknowledged = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  public BridgeClient(Vertx vertx, int port) {
    client = vertx.createWebSocketClient();
    socket = client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
        .onSuccess(ws -> ws.handler(buffer -> {
          JsonObject frame = buffer.toJsonObject();
          JsonObject headers = frame.getValue("headers") instanceof JsonObject given ? given : null;
          if ("rec".equals(frame.getString("type")) && headers != null && "registered".equals(headers.getValue("bridge"))) {
            acknowledged.add(frame.getString("address"));
          } else {
            frames.add(frame);
          }
        }).closeHandler(v -> closed.complete(ws.closeStatusCode() + " " + ws.closeReason())))
        .await();
  }

  /** Waits for the bridge's acknowledgement of a registration on this address; false if none came in time. */
  public boolean awaitRegistered(String address, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    try {
      for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
        String next = acknowledged.poll(left, TimeUnit.MILLISECONDS);
        if (address.equals(next)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** "status reason" once the server closed the socket; null if it is still open after the wait. */
  public String closedWith(long millis) {
    try {
      return closed.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Gives a registration a moment; prefer {@link #awaitRegistered}, which waits for the bridge's acknowledgement. */
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
    return nextMatching(frame -> frame.getValue("body") instanceof JsonObject body
        && type.equals(body.getString("type")), millis);
  }

  /** The next failure frame of the given type (e.g. {@code REVOKED}), skipping others; null if none in time. */
  public JsonObject nextFailure(String failureType, long millis) {
    return nextMatching(frame -> failureType.equals(frame.getString("failureType")), millis);
  }

  private JsonObject nextMatching(java.util.function.Predicate<JsonObject> wanted, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
      JsonObject frame = next(left);
      if (frame == null) {
        return null;
      }
      if (wanted.test(frame)) {
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
    socket.close().eventually(client::close);
  }
}
