package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SockJS event-bus bridge at /eventbus, speaking the frames of {@code @vertx/eventbus-bridge-client.js} (see
 * docs/event-bus.md). Browsers may only register, only for {@code chat.*} addresses, and only with a valid token in
 * the frame's headers: {@code chat.user.<id>} for themselves, {@code chat.channel.<id>} while they are members.
 *
 * <p>Registrations are handled here rather than by vert.x's bridge, which registers one clustered consumer per
 * socket and address: the node's consumers are shared ({@link BridgeHubs}) and fan out to the sockets. A
 * registration is answered either way: an acknowledgement ({@code rec} frame on the address, header
 * {@code bridge: registered}) once messages flow, or an {@code err} frame that names the address and the reason.
 *
 * <p>Permissions follow changes. A channel registration is re-checked against the channels service when
 * {@code events.membership.changed} names it, and every {@code BRIDGE_RECHECK_MS} (default 1 s) against the
 * channel's member list when the channel's removal count moved (users missing from it are confirmed with
 * {@code checkAccess}; see {@link #recheckChannels}), so that a lost event or a paused node leaves a removed member
 * receiving for at most about that long; a registration that stops being
 * allowed is ended with an {@code err} frame. Refusals always come from the
 * channels service, never from a cache. {@code events.account.revoked} closes the user's sockets whose token it
 * revoked. A bot (a {@code cbb_} token) may hear a channel only if its permissions' {@code hear_channels} allow it
 * too ({@link BotGate}, asked anew at the registration and, for bots' registrations, at every recheck).
 *
 * <p>A client that stops reading is disconnected once its write queue is full, rather than buffering without
 * bound; it reconnects and catches up over REST. All state is confined to this gateway instance's event loop.
 */
final class EventBridge {

  /** The close status of a socket whose token was revoked (4000-4999: application-defined). */
  static final int REVOKED_STATUS = 4401;
  /** The header of the acknowledgement frame. */
  static final String ACK_HEADER = "bridge";
  static final String ACK_VALUE = "registered";

  private static final String CHANNEL_PREFIX = Addresses.channel("");
  private static final String USER_PREFIX = Addresses.user("");
  private static final Pattern OUTBOUND = Pattern.compile(Addresses.BRIDGE_OUTBOUND_REGEX);
  private static final int MAX_ADDRESS_LENGTH = 128;
  private static final int MAX_REGISTRATIONS_PER_SOCKET = 1000;

  private final Vertx vertx;
  private final Context context;
  private final Authenticator authenticator;
  private final ServiceClient services;
  private final BotGate bots;
  private final BridgeHubs hubs;
  private final MembershipChecks membershipChecks;
  /** The copies of delivered events still to write, a slice per event-loop turn. */
  private final FanOutBacklog<Session> owed;
  private final int writeQueueBytes;
  private final long pingTimeoutMs;

  /** Every open socket, authenticated or not, so that a shutdown can tell each one to go elsewhere. */
  private final Map<SockJSSocket, Session> sessions = new HashMap<>();
  /** Per address: the sockets of this instance registered on it (the fan-out targets of its hub). */
  private final Map<String, Set<Session>> subscribers = new HashMap<>();
  /** Channel addresses whose periodic member check is in flight, so that a slow service does not pile them up. */
  private final Set<String> checking = new HashSet<>();
  /** Per channel address with sockets here: the removal count its last comparison with the member list read. */
  private final Map<String, Long> checkedRemovals = new HashMap<>();
  /** Every how many rechecks every channel is compared with its member list, whatever its removal count. */
  private final long fullRecheckEvery;
  private long rechecks;
  private boolean closing;

  /**
   * Who registered an address on a socket: the user, the issue time of the token used (epoch ms, or null), and
   * whether the user is a bot (whose permissions are rechecked too).
   */
  private record Grant(String userId, Long issuedAt, boolean bot) {
  }

  private static final class Session {
    final SockJSSocket socket;
    final Map<String, Grant> grants = new HashMap<>();
    long lastSeen = System.currentTimeMillis();

    Session(SockJSSocket socket) {
      this.socket = socket;
    }
  }

  EventBridge(Vertx vertx, Authenticator authenticator, ServiceClient services, int writeQueueBytes,
              long pingTimeoutMs, long recheckMs, long fullRecheckMs, int fanOutSlice, long fanOutMaxLagMs,
              boolean dropMembershipEvents) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.authenticator = authenticator;
    this.services = services;
    this.bots = new BotGate(services);
    this.hubs = BridgeHubs.of(vertx);
    this.membershipChecks = new MembershipChecks(context, services);
    this.owed = new FanOutBacklog<>(fanOutSlice, fanOutMaxLagMs, System::nanoTime, this::writeOwed,
        next -> vertx.setTimer(1, id -> next.run()));
    this.writeQueueBytes = writeQueueBytes;
    this.pingTimeoutMs = pingTimeoutMs;
    this.fullRecheckEvery = recheckMs > 0 ? Math.max(1, fullRecheckMs / recheckMs) : 1;
    if (!dropMembershipEvents) { // a fault-injection hook for the multi-JVM tests: act as if every one were lost
      vertx.eventBus().<JsonObject>consumer(Addresses.MEMBERSHIP_CHANGED, event -> membershipChanged(event.body()));
    }
    vertx.eventBus().<JsonObject>consumer(Addresses.ACCOUNT_REVOKED, event -> accountRevoked(event.body()));
    if (recheckMs > 0) {
      vertx.setPeriodic(recheckMs, id -> recheckChannels());
    }
    vertx.setPeriodic(Math.max(1_000, pingTimeoutMs / 4), id -> closeIdle());
  }

  /**
   * The SockJS routes. The iframe-based transports (htmlfile, and the iframe variants sockjs-client builds on
   * iframe.html) load sockjs-client from a CDN, and JSONP is for browsers without CORS: they are switched off;
   * websocket, xhr-streaming, xhr-polling and eventsource remain, plus the raw WebSocket at /eventbus/websocket.
   */
  Router router() {
    SockJSHandlerOptions options = new SockJSHandlerOptions().setRegisterWriteHandler(false)
        .addDisabledTransport(Transport.HTML_FILE.name())
        .addDisabledTransport(Transport.JSON_P.name());
    return SockJSHandler.create(vertx, options).socketHandler(this::accept);
  }

  int openSockets() {
    return sessions.size();
  }

  /** How many event-bus consumers this node's bridge holds (one per address with sockets): a test hook. */
  int hubConsumers() {
    return hubs.consumers();
  }

  /**
   * Refuses new sockets and closes the open ones with this status and reason (a WebSocket close frame on the raw
   * WebSocket endpoint, a SockJS close frame on the others), so that clients reconnect to another node at once
   * instead of waiting for a timeout. Returns how many were closed. Called on this verticle's event loop.
   */
  int closeAll(int status, String reason) {
    closing = true;
    List<SockJSSocket> open = new ArrayList<>(sessions.keySet());
    open.forEach(socket -> socket.close(status, reason));
    return open.size();
  }

  /**
   * Closes the open sockets with this status and reason but, unlike {@link #closeAll}, keeps accepting new ones:
   * used when the node is cut off from the cluster (its gateway answers 503 meanwhile, so clients reconnect
   * elsewhere). Returns how many were closed. Called on this verticle's event loop.
   */
  int closeOpen(int status, String reason) {
    List<SockJSSocket> open = new ArrayList<>(sessions.keySet());
    open.forEach(socket -> socket.close(status, reason));
    return open.size();
  }

  private void accept(SockJSSocket socket) {
    if (closing) {
      socket.close();
      return;
    }
    Session session = new Session(socket);
    sessions.put(socket, session);
    Meters.sockJsSessions().incrementAndGet();
    socket.setWriteQueueMaxSize(writeQueueBytes);
    socket.handler(data -> frame(session, data));
    socket.exceptionHandler(err -> socket.close());
    socket.closeHandler(v -> closed(session));
  }

  private void closed(Session session) {
    if (sessions.remove(session.socket) == null) {
      return;
    }
    Meters.sockJsSessions().decrementAndGet();
    for (String address : new ArrayList<>(session.grants.keySet())) {
      ungrant(session, address);
    }
  }

  private void frame(Session session, Buffer data) {
    session.lastSeen = System.currentTimeMillis();
    JsonObject frame;
    String type;
    String address;
    try {
      frame = new JsonObject(data.toString());
      type = frame.getString("type");
      address = frame.getString("address");
    } catch (RuntimeException malformed) {
      error(session, null, 400, "invalid_json", "A frame must be a JSON object with string fields type and address");
      return;
    }
    if (type == null) {
      error(session, null, 400, "missing_type", "A frame needs a type");
    } else if ("ping".equals(type)) {
      return;
    } else if (address == null) {
      error(session, null, 400, "missing_address", "A frame needs an address");
    } else if ("register".equals(type)) {
      register(session, address, frame.getValue("headers"));
    } else if ("unregister".equals(type)) {
      ungrant(session, address);
    } else if ("send".equals(type) || "publish".equals(type)) {
      // the official client waits on the reply address of a send: name it, so that its callback hears the refusal
      Object replyAddress = frame.getValue("replyAddress");
      refuse(session, replyAddress instanceof String reply && reply.length() <= 36 ? reply : null, 403, "access_denied",
          "Browsers may not send or publish on the event bus");
    } else {
      error(session, null, 400, "invalid_type", "Unknown frame type");
    }
  }

  private void register(Session session, String address, Object headers) {
    if (address.length() > MAX_ADDRESS_LENGTH || !OUTBOUND.matcher(address).matches()) {
      refuse(session, address, 403, "access_denied", "Browsers may register only for chat.channel.<id> and chat.user.<id>");
      return;
    }
    if (session.grants.size() >= MAX_REGISTRATIONS_PER_SOCKET && !session.grants.containsKey(address)) {
      refuse(session, address, 429, "max_handlers_reached",
          "At most " + MAX_REGISTRATIONS_PER_SOCKET + " registrations per socket");
      return;
    }
    Object authorization = headers instanceof JsonObject given ? given.getValue("Authorization") : null;
    if (!(authorization instanceof String bearer) || bearer.isBlank()) {
      refuse(session, address, 401, "rejected", "The register frame needs headers.Authorization: Bearer <token>");
      return;
    }
    authenticator.bearerToken(bearer)
        .compose(caller -> allowed(caller, address))
        .onComplete(decided -> {
          if (!sessions.containsKey(session.socket)) {
            return; // closed meanwhile
          }
          if (decided.succeeded()) {
            grant(session, address, decided.result());
          } else {
            ApiException why = ServiceClient.toApiException(decided.cause());
            refuse(session, address, why.status(), "rejected", why.getMessage());
          }
        });
  }

  /** The grant for this caller on this address, or a failure saying why not (the channels service decides). */
  private Future<Grant> allowed(Authenticator.Bearer bearer, String address) {
    if (!bearer.caller().found()) {
      return Future.failedFuture(ApiException.unauthorized("The token's user does not exist"));
    }
    String userId = bearer.caller().principal().id();
    Grant grant = new Grant(userId, bearer.issuedAt(), bearer.caller().principal().isBot());
    if (address.startsWith(USER_PREFIX)) {
      return address.equals(Addresses.user(userId)) ? Future.succeededFuture(grant)
          : Future.failedFuture(ApiException.forbidden("Only the user may register for their own address"));
    }
    String channelId = address.substring(CHANNEL_PREFIX.length());
    Future<Void> permitted = !grant.bot() ? Future.succeededFuture()
        : bots.permissions(bearer.caller().principal()).compose(permissions -> permissions.mayHear(channelId)
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiException.forbidden(NOT_HEARD)));
    return permitted.compose(ok -> isMember(channelId, userId)).compose(member -> member
        ? Future.succeededFuture(grant)
        : Future.failedFuture(ApiException.forbidden("Not a member of this channel")));
  }

  private static final String NOT_HEARD = "This bot's permissions do not let it hear this channel (hear_channels)";

  private Future<Boolean> isMember(String channelId, String userId) {
    return membershipChecks.isMember(channelId, userId);
  }

  private void grant(Session session, String address, Grant grant) {
    boolean fresh = session.grants.put(address, grant) == null;
    Future<Void> ready;
    if (fresh) {
      Set<Session> local = subscribers.get(address);
      if (local == null) {
        local = new LinkedHashSet<>();
        subscribers.put(address, local);
        ready = hubs.join(address, this);
      } else {
        ready = hubs.ready(address);
      }
      local.add(session);
    } else {
      ready = hubs.ready(address);
    }
    // the hub's future completes on the event loop that registered it, which may be another instance's
    ready.onComplete(registered -> onThisLoop(() -> {
      if (session.grants.get(address) != grant) {
        return; // unregistered or replaced meanwhile
      }
      if (registered.succeeded()) {
        write(session, Buffer.buffer(acknowledgement(address).encode()));
      } else {
        ungrant(session, address);
        refuse(session, address, 503, "registration_failure", "The registration could not be made; retry shortly");
      }
    }));
  }

  private void ungrant(Session session, String address) {
    if (session.grants.remove(address) == null) {
      return;
    }
    Set<Session> local = subscribers.get(address);
    if (local != null && local.remove(session) && local.isEmpty()) {
      subscribers.remove(address);
      hubs.leave(address, this);
    }
  }

  /** Called by the address's hub with the encoded {@code rec} frame, on any event loop. */
  void deliver(String address, String frame) {
    onThisLoop(() -> {
      Set<Session> local = subscribers.get(address);
      if (local != null) {
        // one buffer for every socket: a vert.x Buffer can be written many times
        owed.add(address, Buffer.buffer(frame), List.copyOf(local));
      }
    });
  }

  /** A copy owed by {@link #owed}: written only if the socket still holds the address (not left or closed since). */
  private boolean writeOwed(Session session, String address, Buffer frame) {
    return session.grants.containsKey(address) && write(session, frame);
  }

  /**
   * Writes a frame unless the socket is closing, or its client has stopped reading: then it is closed (the
   * client reconnects and catches up over REST). False when nothing was written.
   */
  private static boolean write(Session session, Buffer frame) {
    try {
      if (session.socket.writeQueueFull()) {
        Meters.count(Meters.BRIDGE_SLOW_CONSUMERS);
        session.socket.close();
        return false;
      }
      session.socket.write(frame);
      return true;
    } catch (IllegalStateException closing) {
      // the peer's close frame came in before the socket's close handler ran: it is about to leave
      return false;
    }
  }

  private void onThisLoop(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void membershipChanged(JsonObject event) {
    String channelId = event.getString("channel_id");
    String userId = event.getString("user_id");
    if (channelId == null || userId == null || "joined".equals(event.getString("change"))) {
      return;
    }
    // the event may be overtaken by a later join: the channels service decides
    confirmOutsider(Addresses.channel(channelId), userId);
  }

  /**
   * Ends the user's registrations on this channel address if the channels service says they are not a member, or,
   * for a bot, if its permissions no longer let it hear the channel.
   */
  private void confirmOutsider(String address, String userId) {
    List<Session> holders = holders(address, userId);
    if (holders.isEmpty()) {
      return;
    }
    String channelId = address.substring(CHANNEL_PREFIX.length());
    isMember(channelId, userId).onSuccess(member -> {
      if (!member) {
        revoke(address, holders(address, userId), "No longer a member of this channel");
      }
    });
    if (holders.get(0).grants.get(address).bot()) {
      bots.permissions(new Principal(userId, null, null, Principal.BOT)).onComplete(permissions -> {
        boolean revoked = permissions.failed() && permissions.cause() instanceof ApiException refused
            && refused.status() == 401;
        if (revoked || permissions.succeeded() && !permissions.result().mayHear(channelId)) {
          revoke(address, holders(address, userId), NOT_HEARD);
        }
      });
    }
  }

  /**
   * Every recheck period: the removal counts of the channels with sockets here are read in one request per
   * {@link InternalActions#MEMBER_REMOVALS_LIMIT} channels, and only a channel whose count moved since its last check
   * is compared with its member list (a company-wide channel's list is thousands of entries; reading every list every
   * second cost a few percent of a 10,000-user node). Every {@code fullRecheckEvery}-th period compares them all
   * anyway: the count moves in a second write after the removal, which a crash between the two can lose. If the
   * counts cannot be read (an older channels service in a rolling upgrade, a timeout), every list is compared. Bots'
   * registrations are confirmed one by one every period, as their permissions change without a removal.
   */
  private void recheckChannels() {
    List<String> addresses = subscribers.keySet().stream()
        .filter(address -> address.startsWith(CHANNEL_PREFIX) && !checking.contains(address)).toList();
    checkedRemovals.keySet().retainAll(subscribers.keySet());
    boolean full = ++rechecks % fullRecheckEvery == 0;
    if (full) {
      addresses.forEach(address -> compareWithMembers(address, null));
      return;
    }
    // a bot's permissions can narrow without any removal: its registrations are confirmed every period
    addresses.forEach(address -> subscribers.get(address).stream().map(session -> session.grants.get(address))
        .filter(Grant::bot).map(Grant::userId).distinct().toList()
        .forEach(botId -> confirmOutsider(address, botId)));
    for (int from = 0; from < addresses.size(); from += InternalActions.MEMBER_REMOVALS_LIMIT) {
      List<String> batch = addresses.subList(from,
          Math.min(addresses.size(), from + InternalActions.MEMBER_REMOVALS_LIMIT));
      JsonArray channelIds = new JsonArray(batch.stream().map(address -> address.substring(CHANNEL_PREFIX.length()))
          .toList());
      services.call(Addresses.CHANNELS, InternalActions.MEMBER_REMOVALS,
              new JsonObject().put("channel_ids", channelIds))
          .onComplete(answer -> {
            JsonObject removals = answer.succeeded() ? answer.result().getJsonObject("removals") : null;
            for (String address : batch) {
              Long count = removals != null && removals.getValue(address.substring(CHANNEL_PREFIX.length()))
                  instanceof Number n ? Long.valueOf(n.longValue()) : null; // an int or a long, as JSON decoded it
              if (count == null || !count.equals(checkedRemovals.get(address))) {
                compareWithMembers(address, count);
              }
            }
          });
    }
  }

  /**
   * Compares the channel's sockets here with its member list; once done, remembers {@code removals} (the count read
   * before the list, so a removal made meanwhile moves it again and is compared at the next period).
   */
  private void compareWithMembers(String address, Long removals) {
    if (!checking.add(address)) {
      return;
    }
    services.call(Addresses.CHANNELS, InternalActions.CHANNEL_READ_STATES,
            new JsonObject().put("channel_id", address.substring(CHANNEL_PREFIX.length())))
        .map(EventBridge::memberIds)
        .onComplete(members -> {
          checking.remove(address);
          Set<Session> local = subscribers.get(address);
          if (members.failed() || local == null) {
            return; // unknown: the next period asks again
          }
          if (removals != null) {
            checkedRemovals.put(address, removals);
          }
          // a user missing from the list is confirmed one by one before the registration ends, so that a list
          // that is partial (paged, or read from a lagging copy) never cuts a member off
          local.stream().map(session -> session.grants.get(address))
              .filter(grant -> grant.bot() || !members.result().contains(grant.userId()))
              .map(Grant::userId).distinct().toList()
              .forEach(userId -> confirmOutsider(address, userId));
        });
  }

  private static Set<String> memberIds(JsonObject readStates) {
    JsonArray reads = readStates.getJsonArray("reads", new JsonArray());
    return reads.stream().filter(JsonObject.class::isInstance).map(read -> ((JsonObject) read).getString("user_id"))
        .collect(Collectors.toSet());
  }

  private List<Session> holders(String address, String userId) {
    Set<Session> local = subscribers.get(address);
    return local == null ? List.of()
        : local.stream().filter(session -> userId.equals(session.grants.get(address).userId())).toList();
  }

  private void revoke(String address, List<Session> outsiders, String why) {
    for (Session session : outsiders) {
      ungrant(session, address);
      Meters.count(Meters.BRIDGE_DENIED);
      write(session, Buffer.buffer(
          failure(address, 403, "REVOKED", "revoked", why).encode()));
    }
  }

  private void accountRevoked(JsonObject event) {
    String userId = event.getString("user_id");
    Long validAfter = event.getLong("valid_after_ms");
    String reason = event.getString("reason", "revoked");
    boolean removed = "removed".equals(reason) || validAfter == null;
    List<Session> affected = sessions.values().stream()
        .filter(session -> session.grants.values().stream().anyMatch(grant -> grant.userId().equals(userId)
            && (removed || grant.issuedAt() == null || grant.issuedAt() < validAfter)))
        .toList();
    affected.forEach(session -> session.socket.close(REVOKED_STATUS, "token revoked: " + reason));
  }

  private void closeIdle() {
    long cutoff = System.currentTimeMillis() - pingTimeoutMs;
    sessions.values().stream().filter(session -> session.lastSeen < cutoff).toList()
        .forEach(session -> session.socket.close());
  }

  private static void refuse(Session session, String address, int status, String body, String message) {
    Meters.count(Meters.BRIDGE_DENIED);
    write(session, Buffer.buffer(failure(address, status, "REFUSED", body, message).encode()));
  }

  private static void error(Session session, String address, int status, String body, String message) {
    Meters.count(Meters.BRIDGE_DENIED);
    write(session, Buffer.buffer(failure(address, status, "INVALID", body, message).encode()));
  }

  /**
   * An {@code err} frame. The official client hands {@code failureCode}, {@code failureType} and {@code message} to
   * the callbacks registered on {@code address}; {@code body} keeps the vert.x bridge's short reason.
   */
  static JsonObject failure(String address, int status, String type, String body, String message) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (address != null) {
      frame.put("address", address);
    }
    return frame.put("body", body).put("failureCode", status).put("failureType", type).put("message", message);
  }

  /** The acknowledgement of a registration: a {@code rec} frame on the address, so the handler's callback sees it. */
  static JsonObject acknowledgement(String address) {
    return new JsonObject().put("type", "rec").put("address", address)
        .put("headers", new JsonObject().put(ACK_HEADER, ACK_VALUE))
        .put("body", new JsonObject().put("type", ACK_VALUE).put("address", address).put("at", Instant.now().toString()));
  }
}
