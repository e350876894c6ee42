package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/** One bridge socket per user, spread over the client's threads; counts opens, failures, rejections, closes. */
final class SocketFleet implements BridgeSocket.Listener {

  /** Where the fleet hands the events it receives. */
  interface EventSink {
    void onEvent(int user, JsonObject event, long arrivalNanos);
  }

  /** A user's subscription: the token (null for an anonymous socket) and the addresses to register. */
  record Subscription(String token, List<String> addresses) {
  }

  private final Harness harness;
  private final EventSink sink;
  private final Map<Integer, BridgeSocket> sockets = new ConcurrentHashMap<>();

  SocketFleet(Harness harness, EventSink sink) {
    this.harness = harness;
    this.sink = sink;
  }

  /** Opens sockets for users 0..count-1; a socket that fails is counted, not fatal. */
  void open(int count, IntFunction<Subscription> subscriptions) {
    RunMetrics metrics = harness.metrics;
    int concurrency = Math.max(1, harness.options.integer("setup-concurrency", 16) * 8);
    harness.say("opening " + count + " bridge sockets...");
    Bounded.map(count, concurrency, user -> harness.lanes.on(user, () ->
        BridgeSocket.connect(harness.vertx, harness.sockets, harness.targetFor(user), user, this)
            .compose(socket -> {
              sockets.put(user, socket);
              metrics.socketsOpened.increment();
              metrics.openSockets.incrementAndGet();
              Subscription subscription = subscriptions.apply(user);
              return Future.all(subscription.addresses().stream()
                  .map(address -> socket.register(address, subscription.token())).toList()).mapEmpty();
            })
            .recover(failure -> {
              metrics.socketsFailed.increment();
              metrics.error("socket: " + failure.getClass().getSimpleName());
              return Future.succeededFuture();
            }))).await();
  }

  boolean isOpen(int user) {
    BridgeSocket socket = sockets.get(user);
    return socket != null && socket.isOpen();
  }

  void closeAll() {
    Future.all(sockets.values().stream().map(BridgeSocket::close).toList()).otherwiseEmpty().await();
  }

  @Override
  public void onEvent(BridgeSocket socket, JsonObject event, long arrivalNanos) {
    sink.onEvent(socket.user(), event, arrivalNanos);
  }

  @Override
  public void onError(BridgeSocket socket, String body) {
    if (body.startsWith("rejected") || body.startsWith("access_denied")) {
      harness.metrics.registrationsRejected.increment();
    }
    harness.metrics.error("bridge: " + body);
  }

  @Override
  public void onClosed(BridgeSocket socket) {
    harness.metrics.openSockets.decrementAndGet();
    harness.metrics.socketsClosed.increment();
  }
}
