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
import java.util.HashMap;
import java.util.HashSet;
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

  private void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        Meters.sockJsSessions().incrementAndGet();
        event.socket().setWriteQueueMaxSize(writeQueueBytes);
        event.complete(true);
      }
      case SOCKET_PING, SOCKET_IDLE, UNREGISTER -> event.complete(true);
      case SOCKET_CLOSED -> {
        Meters.sockJsSessions().decrementAndGet();
        socketUsers.remove(event.socket());
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
