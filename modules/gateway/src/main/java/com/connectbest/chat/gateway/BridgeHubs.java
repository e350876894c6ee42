package com.connectbest.chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event-bus consumer per node per browser address, shared by every gateway instance (event loop) of the node.
 * A clustered consumer is one entry in Hazelcast's subscription map, copied to every member; one per socket would
 * make that map grow with sockets × addresses. Here it holds at most addresses × nodes: the consumer is registered
 * when the node's first socket registers for an address and unregistered after its last one leaves; each message
 * is encoded once into the bridge's {@code rec} frame and handed to every instance that has sockets for it, which
 * writes it to them (in arrival order: each instance gets the frames in the order of its event loop's queue).
 *
 * <p>The consumer runs on the event loop of the instance whose socket came first. All instances of a node are one
 * deployment, so that event loop lives as long as the others.
 */
final class BridgeHubs implements Shareable {

  private final Vertx vertx;
  /** Guarded by {@code this}: the hubs are shared by the node's gateway event loops. */
  private final Map<String, Hub> hubs = new HashMap<>();

  private BridgeHubs(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The node's hubs (one object per Vert.x instance). */
  static BridgeHubs of(Vertx vertx) {
    LocalMap<String, BridgeHubs> node = vertx.sharedData().getLocalMap(BridgeHubs.class.getName());
    BridgeHubs fresh = new BridgeHubs(vertx);
    BridgeHubs existing = node.putIfAbsent("hubs", fresh);
    return existing == null ? fresh : existing;
  }

  /**
   * The bridge has its first socket on this address: the node's consumer is registered if it is the first bridge.
   * Resolves once the consumer is registered in the cluster (a message published after that reaches the socket).
   */
  synchronized Future<Void> join(String address, EventBridge bridge) {
    Hub hub = hubs.get(address);
    if (hub == null) {
      hub = new Hub(address);
      hubs.put(address, hub);
    }
    if (!hub.bridges.contains(bridge)) {
      List<EventBridge> more = new ArrayList<>(hub.bridges);
      more.add(bridge);
      hub.bridges = List.copyOf(more);
    }
    return hub.consumer.completion();
  }

  /** The hub's registration, for a bridge that already joined (a second socket on the address). */
  synchronized Future<Void> ready(String address) {
    Hub hub = hubs.get(address);
    return hub == null ? Future.failedFuture("no hub for " + address) : hub.consumer.completion();
  }

  /** The bridge's last socket on this address left: after the node's last bridge, the consumer goes. */
  synchronized void leave(String address, EventBridge bridge) {
    Hub hub = hubs.get(address);
    if (hub == null) {
      return;
    }
    List<EventBridge> fewer = new ArrayList<>(hub.bridges);
    fewer.remove(bridge);
    hub.bridges = List.copyOf(fewer);
    if (fewer.isEmpty()) {
      hubs.remove(address);
      hub.consumer.unregister();
    }
  }

  /** How many event-bus consumers the node's bridge holds (one per address with sockets): a test hook. */
  synchronized int consumers() {
    return hubs.size();
  }

  private final class Hub {
    private final String address;
    private final MessageConsumer<Object> consumer;
    /** Replaced, never changed in place, so that the consumer reads it without the lock. */
    private volatile List<EventBridge> bridges = List.of();

    Hub(String address) {
      this.address = address;
      this.consumer = vertx.eventBus().consumer(address, this::fanOut);
    }

    private void fanOut(Message<Object> message) {
      String frame = frame(address, message).encode();
      for (EventBridge bridge : bridges) {
        bridge.deliver(address, frame);
      }
    }
  }

  /** The SockJS bridge's frame for a delivered message, as {@code @vertx/eventbus-bridge-client.js} expects it. */
  static JsonObject frame(String address, Message<Object> message) {
    JsonObject frame = new JsonObject().put("type", "rec").put("address", address).put("body", message.body());
    MultiMap headers = message.headers();
    if (headers != null && !headers.isEmpty()) {
      JsonObject copy = new JsonObject();
      for (String name : headers.names()) {
        List<String> values = headers.getAll(name);
        copy.put(name, values.size() == 1 ? values.get(0) : values);
      }
      frame.put("headers", copy);
    }
    return frame;
  }
}
