package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.BotPermissions;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceRequest;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge for bots (docs/event-bus.md, "Bot bridge"): 4-byte big-endian length + JSON frames, so
 * any language can speak it. Deployed once per node when {@code BOT_BRIDGE_PORT} is set (off by default).
 *
 * <p>Every frame carries the bot's token ({@code headers.Authorization: "Bearer cbb_…"}); the first one binds the
 * connection to that bot, and a later frame naming another bot is refused. A bot may {@code register} for
 * {@code chat.channel.<id>} of channels it is a member of (asked of the channels service at each registration), and
 * {@code send} to {@link Addresses#BOT_ACTIONS} only. An action becomes the same signed {@link ServiceRequest} the
 * HTTP gateway would send for the bot's REST call, under the same rate limits: no back door to any store.
 * Revoking the bot ({@code events.account.revoked}) closes its connections on every node.
 *
 * <p>Each bot's {@link BotPermissions} are read from the auth service at every registration and every action, never
 * cached, so a change applies to the next frame. Hearing is the one lasting grant: a registration made under old
 * permissions or membership. It is withdrawn by closing the connection when {@code events.user.changed} (a
 * permission change) or {@code events.membership.changed} (the bot left) says so, and, for an event that was lost
 * or a node that was paused, by a recheck of every open connection's registrations every
 * {@code BOT_BRIDGE_RECHECK_SECONDS} (30 by default): a lost event leaves a bot hearing a channel at most that long.
 * Frames are limited to {@code BOT_BRIDGE_MAX_FRAME_BYTES} (64 KiB by default, {@link BridgeFrameLimit}).
 */
public class BotBridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BotBridgeVerticle.class);
  /** The delivery header in which the bridge hands the verified bot to the actions consumer. */
  static final String BOT_HEADER = "x-bot-principal";
  /** ...and the connection's peer address, for the per-IP limits. */
  static final String PEER_HEADER = "x-bot-peer";
  static final String CHANNEL_PREFIX = Addresses.BROWSER_PREFIX + "channel.";
  static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

  private TcpEventBusBridge bridge;
  private Authenticator authenticator;
  private ServiceClient services;
  private RateLimiter limiter;
  private BotGate gate;
  /** The bot each open connection is bound to (touched on this verticle's event loop only). */
  private final Map<NetSocket, Principal> bots = new HashMap<>();
  /** The channel addresses each connection registered for (same event loop). */
  private final Map<NetSocket, Set<String>> registered = new HashMap<>();

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    int port = settings.integer("BOT_BRIDGE_PORT", 0);
    return EnvelopeKeys.load(vertx, settings).compose(keys -> {
      long timeout = settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS);
      services = new ServiceClient(vertx.eventBus(), timeout).signingWith(keys.signing(), settings.number(EnvelopeKeys.TTL_SECONDS, EnvelopeKeys.DEFAULT_TTL_SECONDS));
      authenticator = new Authenticator(vertx, settings, services);
      gate = new BotGate(services);
      limiter = new RateLimiter(new RateLimitRules(settings), ClusterBuckets.forVertx(vertx));
      vertx.eventBus().<JsonObject>consumer(Addresses.ACCOUNT_REVOKED,
          event -> closeBot(event.body().getString("user_id")));
      vertx.eventBus().<JsonObject>consumer(Addresses.MEMBERSHIP_CHANGED, event -> {
        if ("left".equals(event.body().getString("change"))) {
          left(event.body().getString("user_id"), Addresses.channel(event.body().getString("channel_id")));
        }
      });
      // a permission change (or any change of the bot's account): its registrations are checked again
      vertx.eventBus().<JsonObject>consumer(Addresses.USER_CHANGED, event -> recheck(event.body().getString("user_id")));
      long recheckMs = settings.number("BOT_BRIDGE_RECHECK_SECONDS", 30) * 1000;
      vertx.setPeriodic(recheckMs, recheckMs, tick -> bots.values().stream().map(Principal::id).distinct().toList()
          .forEach(this::recheck));
      // a local consumer: only this node's bridge can reach it (see Addresses.BOT_ACTIONS)
      vertx.eventBus().<Object>localConsumer(Addresses.BOT_ACTIONS, this::act);
      BridgeOptions options = new BridgeOptions()
          .addInboundPermitted(new PermittedOptions().setAddress(Addresses.BOT_ACTIONS))
          .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.BRIDGE_OUTBOUND_REGEX));
      NetServerOptions server = new NetServerOptions()
          .setIdleTimeout(settings.integer("BOT_BRIDGE_IDLE_SECONDS", 120));
      String cert = settings.string("BOT_BRIDGE_TLS_CERT_PATH", null);
      String key = settings.string("BOT_BRIDGE_TLS_KEY_PATH", null);
      if (cert != null && key != null) {
        server.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
      }
      int maxFrame = settings.integer("BOT_BRIDGE_MAX_FRAME_BYTES", DEFAULT_MAX_FRAME_BYTES);
      // the bridge's own SOCKET_CLOSED event never comes (5.0.7), so the socket says when it is gone
      bridge = TcpEventBusBridge.create(BridgeFrameLimit.limiting(vertx, maxFrame,
          socket -> socket.closeHandler(closed -> forget(socket))), options, server, this::guard);
      return bridge.listen(port, settings.string("BOT_BRIDGE_HOST", settings.string("HOST", "0.0.0.0")));
    }).onSuccess(listening -> LOG.info("Bot bridge listening on port {}", port));
  }

  /**
   * Decides every frame before the bridge acts on it: true goes on; a refusal of ours answers an {@code err} frame
   * saying why ({@link #refuse}); false lets the bridge answer its own generic one (publish, unknown types).
   */
  private void guard(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED, SOCKET_PING, RECEIVE -> event.tryComplete(true);
      case UNREGISTER -> {
        Set<String> addresses = registered.get(event.socket());
        if (addresses != null && event.getRawMessage() != null) {
          addresses.remove(event.getRawMessage().getString("address"));
        }
        event.tryComplete(true);
      }
      case SOCKET_CLOSED -> { // not emitted by the 5.0.7 bridge: the socket's close handler forgets it (start)
        forget(event.socket());
        event.tryComplete(true);
      }
      case SEND -> caller(event).onComplete(done -> {
        JsonObject frame = event.getRawMessage();
        if (done.failed()) {
          refuse(event, ServiceClient.toApiException(done.cause()));
          return;
        }
        if (!Addresses.BOT_ACTIONS.equals(frame.getString("address"))) {
          refuse(event, ApiException.forbidden("Bots may send to " + Addresses.BOT_ACTIONS + " only"));
          return;
        }
        // the client's own headers are dropped: only the verified bot travels on
        frame.put("headers", new JsonObject().put(BOT_HEADER, done.result().toJson().encode())
            .put(PEER_HEADER, event.socket().remoteAddress() == null ? "unknown"
                : event.socket().remoteAddress().hostAddress()));
        event.tryComplete(true);
      });
      case REGISTER -> caller(event).compose(bot -> mayHear(event.getRawMessage().getString("address"), bot))
          .onComplete(done -> {
            if (done.failed()) {
              refuse(event, ServiceClient.toApiException(done.cause()));
              return;
            }
            event.tryComplete(true);
            if (event.socket() != null) {
              registered.computeIfAbsent(event.socket(), socket -> new HashSet<>())
                  .add(event.getRawMessage().getString("address"));
              // after the bridge's own listener (it registers the consumer): the client knows events now flow
              event.future().onComplete(registered -> write(event.socket(), new JsonObject().put("type", "message")
                  .put("address", event.getRawMessage().getString("address"))
                  .put("headers", new JsonObject().put("bridge", "registered"))));
            }
          });
      default -> event.tryComplete(false); // publish: bots send actions, they do not publish
    }
  }

  /** The bot of the frame's token, bound to the connection on first use. */
  private Future<Principal> caller(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    JsonObject headers = frame == null || !(frame.getValue("headers") instanceof JsonObject given) ? null : given;
    Object authorization = headers == null ? null : headers.getValue("Authorization");
    if (!(authorization instanceof String text)) {
      return Future.failedFuture(ApiException.unauthorized("A bot token is required"));
    }
    NetSocket socket = event.socket();
    return authenticator.bearer(text).compose(caller -> {
      Principal bot = caller.principal();
      if (!caller.found() || !bot.isBot()) {
        return Future.failedFuture(ApiException.forbidden("Only bot tokens open the bot bridge"));
      }
      Principal bound = bots.putIfAbsent(socket, bot);
      if (bound != null && !bound.id().equals(bot.id())) {
        return Future.failedFuture(ApiException.forbidden("This connection belongs to another bot"));
      }
      return Future.succeededFuture(bot);
    });
  }

  /**
   * Refuses the frame with an {@code err} frame saying why ({@code failureCode} the HTTP status it would be); the
   * bridge sends nothing itself for a failed event (it only logs it).
   */
  private static void refuse(BridgeEvent event, ApiException why) {
    JsonObject frame = event.getRawMessage();
    Object replyAddress = frame == null ? null : frame.getValue("replyAddress");
    Object address = replyAddress != null ? replyAddress : frame == null ? null : frame.getValue("address");
    if (event.socket() != null) {
      write(event.socket(), new JsonObject().put("type", "err")
          .put("address", address instanceof String text ? text : null)
          .put("failureCode", why.status()).put("message", why.getMessage()));
    }
    event.tryFail(why);
  }

  /** Succeeds when the bot may hear this address (a channel its permissions allow and it is a member of). */
  private Future<Void> mayHear(String address, Principal bot) {
    if (address == null || !address.startsWith(CHANNEL_PREFIX)) {
      return Future.failedFuture(ApiException.forbidden("Bots may register for chat.channel.<channelId> only"));
    }
    String channelId = address.substring(CHANNEL_PREFIX.length());
    return gate.permissions(bot).compose(permissions -> permissions.mayHear(channelId)
        ? member(channelId, bot)
        : Future.failedFuture(ApiException.forbidden("This bot's permissions do not let it hear channel "
            + channelId + " (hear_channels)")))
        .compose(member -> member ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiException.forbidden("This bot is not a member of channel " + channelId)));
  }

  private Future<Boolean> member(String channelId, Principal bot) {
    return services.call(Addresses.CHANNELS, InternalActions.CHECK_ACCESS, new JsonObject()
            .put("channel_id", channelId).put("user_id", bot.id()))
        .map(access -> access.getBoolean("member", false));
  }


  /**
   * {@code {action: sendMessage, channel_id, content, parent_message_id?}}, {@code {action: reply, message_id,
   * content}} or {@code {action: sendDirectMessage, recipient_id, content}}, each only if the bot's permissions list
   * it (403 otherwise); the reply is {@code {status, body}} as the REST call would answer, a failure the standard
   * error body.
   */
  private void act(Message<Object> message) {
    String signed = message.headers().get(BOT_HEADER);
    if (signed == null || !(message.body() instanceof JsonObject body)) {
      fail(message, ApiException.validation("The body must be a JSON object with an action", null));
      return;
    }
    Principal bot = Principal.fromJson(new JsonObject(signed));
    String action = body.getValue("action") instanceof String name ? name : "";
    ServiceRequest request;
    try {
      request = request(bot, action, body);
    } catch (ApiException invalid) {
      fail(message, invalid);
      return;
    }
    if (request == null) {
      fail(message, ApiException.validation("Unknown action (" + String.join(", ", BotPermissions.ACTIONS) + ")",
          new JsonObject().put("field", "action")));
      return;
    }
    String service = BotPermissions.SEND_DIRECT_MESSAGE.equals(action) ? Addresses.DMS : Addresses.MESSAGES;
    gate.mayTake(bot, action)
        .compose(allowed -> limiter.check(request.action(), message.headers().get(PEER_HEADER), bot.id()))
        .compose(allowed -> services.send(service, request))
        .onSuccess(reply -> message.reply(new JsonObject().put("status", reply.status()).put("body", reply.body())))
        .onFailure(err -> fail(message, ServiceClient.toApiException(err)));
  }

  /** The REST operation an action stands for, as the gateway would forward it; null for an unknown action. */
  private static ServiceRequest request(Principal bot, String action, JsonObject body) {
    JsonObject content = new JsonObject().put("content", body.getValue("content"));
    String requestId = "bot-" + UUID.randomUUID();
    return switch (action) {
      case "sendMessage" -> new ServiceRequest("sendMessage", bot,
          new JsonObject().put("channelId", text(body, "channel_id")), new JsonObject(),
          content.put("parent_message_id", body.getValue("parent_message_id")), requestId);
      case "reply" -> new ServiceRequest("postReply", bot,
          new JsonObject().put("messageId", text(body, "message_id")), new JsonObject(), content, requestId);
      case "sendDirectMessage" -> new ServiceRequest("sendDirectMessage", bot,
          new JsonObject().put("recipientId", text(body, "recipient_id")), new JsonObject(), content, requestId);
      default -> null;
    };
  }

  /** One frame: 4-byte big-endian length, then the UTF-8 JSON. */
  static Future<Void> write(NetSocket socket, JsonObject frame) {
    io.vertx.core.buffer.Buffer json = frame.toBuffer();
    return socket.write(io.vertx.core.buffer.Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text)) {
      throw ApiException.validation(field + " is required", new JsonObject().put("field", field));
    }
    return text;
  }

  private static void fail(Message<?> message, ApiException error) {
    message.fail(error.status(), error.toJson().encode());
  }

  /**
   * A bot left a channel: its connections registered there are closed (the bridge offers no way to end one
   * registration), so it stops hearing the channel; it may reconnect and register for the channels it still has.
   * A lost event leaves it hearing until the next periodic {@link #recheck}; its actions there are refused at once.
   */
  private void left(String botId, String address) {
    closeWhere(botId, addresses -> addresses.contains(address));
  }

  /**
   * Checks the registrations of the bot's open connections here against its permissions and memberships now, and
   * closes each connection hearing a channel it may no longer hear (all of them for a revoked bot). A failed check
   * (a service unreachable) changes nothing; the next one decides.
   */
  private void recheck(String botId) {
    List<NetSocket> sockets = new ArrayList<>();
    Principal bot = null;
    for (Map.Entry<NetSocket, Principal> entry : bots.entrySet()) {
      if (entry.getValue().id().equals(botId)) {
        sockets.add(entry.getKey());
        bot = entry.getValue();
      }
    }
    if (bot == null) {
      return;
    }
    Set<String> addresses = new HashSet<>();
    sockets.forEach(socket -> addresses.addAll(registered.getOrDefault(socket, Set.of())));
    Principal caller = bot;
    List<String> all = List.copyOf(addresses);
    Future.all(all.stream().map(address -> mayHear(address, caller).map(true)
            .recover(err -> err instanceof ApiException refused && refused.status() < 500
                ? Future.succeededFuture(false) : Future.failedFuture(err)))
        .toList())
        .onSuccess(results -> {
          Set<String> lost = new HashSet<>();
          for (int i = 0; i < all.size(); i++) {
            if (!results.<Boolean>resultAt(i)) {
              lost.add(all.get(i));
            }
          }
          if (!lost.isEmpty()) {
            closeWhere(botId, heard -> heard.stream().anyMatch(lost::contains));
          }
        });
  }

  /** Closes the bot's connections whose registrations match. */
  private void closeWhere(String botId, java.util.function.Predicate<Set<String>> matches) {
    bots.entrySet().removeIf(entry -> {
      Set<String> addresses = registered.get(entry.getKey());
      if (entry.getValue().id().equals(botId) && addresses != null && matches.test(addresses)) {
        registered.remove(entry.getKey());
        entry.getKey().close();
        return true;
      }
      return false;
    });
  }

  private void forget(NetSocket socket) {
    bots.remove(socket);
    registered.remove(socket);
  }

  private void closeBot(String botId) {
    bots.entrySet().removeIf(entry -> {
      if (entry.getValue().id().equals(botId)) {
        entry.getKey().close();
        return true;
      }
      return false;
    });
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
