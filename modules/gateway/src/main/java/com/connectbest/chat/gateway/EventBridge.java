package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SockJS event-bus bridge at /eventbus. Browsers may only register, only for {@code chat.*} addresses, and
 * only with a valid token in the frame's headers: {@code chat.user.<id>} for themselves, {@code chat.channel.<id>}
 * while they are members. Membership is re-checked on delivery, so a removed member stops receiving at once. A
 * client that stops reading is disconnected once its write queue is full, rather than buffering without bound; it
 * reconnects and catches up over REST.
 */
final class EventBridge {

  private static final String CHANNEL_PREFIX = Addresses.channel("");
  private static final String USER_PREFIX = Addresses.user("");

  private final Authenticator authenticator;
  private final ServiceClient services;
  /** Per socket: the user it authenticated as. Sockets are confined to this verticle's event loop. */
  private final Map<SockJSSocket, String> socketUsers = new HashMap<>();
  /** Every open socket, authenticated or not, so that a shutdown can tell each one to go elsewhere. */
  private final Set<SockJSSocket> sockets = new HashSet<>();
  private boolean closing;
  /** "channelId/userId" pairs known to be members; dropped when membership changes. */
  private final Set<String> members = new HashSet<>();

  private final int writeQueueBytes;

  EventBridge(Vertx vertx, Authenticator authenticator, ServiceClient services, int writeQueueBytes) {
    this.writeQueueBytes = writeQueueBytes;
    this.authenticator = authenticator;
    this.services = services;
    vertx.eventBus().<JsonObject>consumer(Addresses.MEMBERSHIP_CHANGED, event ->
        members.remove(key(event.body().getString("channel_id"), event.body().getString("user_id"))));
  }

  Router router(Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.BRIDGE_OUTBOUND_REGEX))
        .setMaxAddressLength(128)
        .setMaxHandlersPerSocket(1000)
        .setPingTimeout(60_000);
    SockJSHandlerOptions handlerOptions = new SockJSHandlerOptions().setRegisterWriteHandler(false);
    return SockJSHandler.create(vertx, handlerOptions).bridge(options, this::handle);
  }

  int openSockets() {
    return socketUsers.size();
  }

  /**
   * Refuses new sockets and closes the open ones with this status and reason (a WebSocket close frame on the raw
   * WebSocket endpoint, a SockJS close frame on the others), so that clients reconnect to another node at once
   * instead of waiting for a timeout. Returns how many were closed. Called on this verticle's event loop.
   */
  int closeAll(int status, String reason) {
    closing = true;
    List<SockJSSocket> open = new ArrayList<>(sockets);
    open.forEach(socket -> socket.close(status, reason));
    return open.size();
  }

  /**
   * Closes the open sockets with this status and reason but, unlike {@link #closeAll}, keeps accepting new ones:
   * used when the node is cut off from the cluster (its gateway answers 503 meanwhile, so clients reconnect
   * elsewhere). Returns how many were closed. Called on this verticle's event loop.
   */
  int closeOpen(int status, String reason) {
    List<SockJSSocket> open = new ArrayList<>(sockets);
    open.forEach(socket -> socket.close(status, reason));
    return open.size();
  }

  private void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        if (closing) {
          event.complete(false);
          return;
        }
        Meters.sockJsSessions().incrementAndGet();
        sockets.add(event.socket());
        event.socket().setWriteQueueMaxSize(writeQueueBytes);
        event.complete(true);
      }
      case SOCKET_PING, SOCKET_IDLE, UNREGISTER -> event.complete(true);
      case SOCKET_CLOSED -> {
        Meters.sockJsSessions().decrementAndGet();
        socketUsers.remove(event.socket());
        sockets.remove(event.socket());
        event.complete(true);
      }
      case REGISTER -> register(event).onComplete(done -> decide(event, done.succeeded() && done.result()));
      case RECEIVE -> deliver(event);
      default -> decide(event, false);
    }
  }

  private void deliver(BridgeEvent event) {
    if (event.socket().writeQueueFull()) {
      Meters.count(Meters.BRIDGE_SLOW_CONSUMERS);
      event.complete(false);
      event.socket().close();
      return;
    }
    receive(event).onComplete(done -> {
      boolean delivered = done.succeeded() && done.result();
      if (delivered) {
        Meters.count(Meters.EVENTS_DELIVERED);
      }
      event.complete(delivered);
    });
  }

  private static void decide(BridgeEvent event, boolean allowed) {
    if (!allowed) {
      Meters.count(Meters.BRIDGE_DENIED);
    }
    event.complete(allowed);
  }

  private Future<Boolean> register(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    String address = frame == null ? null : frame.getString("address");
    JsonObject headers = frame == null ? null : frame.getJsonObject("headers");
    String authorization = headers == null ? null : headers.getString("Authorization");
    if (address == null || authorization == null) {
      return Future.succeededFuture(false);
    }
    return authenticator.bearer(authorization).compose(caller -> {
      if (!caller.found()) {
        return Future.succeededFuture(false);
      }
      String userId = caller.principal().id();
      socketUsers.put(event.socket(), userId);
      if (address.startsWith(USER_PREFIX)) {
        return Future.succeededFuture(address.equals(Addresses.user(userId)));
      }
      if (address.startsWith(CHANNEL_PREFIX)) {
        return isMember(address.substring(CHANNEL_PREFIX.length()), userId);
      }
      return Future.succeededFuture(false);
    });
  }

  private Future<Boolean> receive(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    String address = frame == null ? null : frame.getString("address");
    if (address == null || !address.startsWith(CHANNEL_PREFIX)) {
      return Future.succeededFuture(true);
    }
    String userId = socketUsers.get(event.socket());
    return userId == null ? Future.succeededFuture(false) : isMember(address.substring(CHANNEL_PREFIX.length()), userId);
  }

  private Future<Boolean> isMember(String channelId, String userId) {
    String key = key(channelId, userId);
    if (members.contains(key)) {
      return Future.succeededFuture(true);
    }
    return services.call(Addresses.CHANNELS, InternalActions.CHECK_ACCESS,
            new JsonObject().put("channel_id", channelId).put("user_id", userId))
        .map(access -> {
          boolean member = access.getBoolean("member", false);
          if (member) {
            members.add(key);
          }
          return member;
        });
  }

  private static String key(String channelId, String userId) {
    return channelId + "/" + userId;
  }
}
