package com.connectbest.chat.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of the chat's API and bridge for the tool's code paths: users, channels, joins, sends that publish
 * {@code new_message} to {@code chat.channel.<id>}, and a bridge that wants a Bearer token on register. It can
 * drop or duplicate some events to prove that the tool notices. Sends honour Idempotency-Key as the chat does, and
 * some can be stored but answered 504 (outcome unknown), to prove the tool retries with the same key. The growth
 * mode's other calls (thread replies, pins, direct messages, search, an upload and its file) are answered with fixed
 * bodies.
 */
final class FakeChatServer {

  private static final String FILE = "123e4567-e89b-12d3-a456-426614174000.txt";
  private final Vertx vertx;
  private final Map<String, String> userIdsByEmail = new ConcurrentHashMap<>();
  private final Map<String, String> channelIdsByName = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> members = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1000);
  private final AtomicInteger sends = new AtomicInteger();
  volatile int dropEvery;
  volatile int duplicateEvery;
  /** Every n-th measured send is stored and published, then answered 504. */
  volatile int timeoutEvery;
  /** "user:key" → the message first sent with it. */
  private final Map<String, JsonObject> sentWithKey = new ConcurrentHashMap<>();
  final AtomicInteger sendsWithoutKey = new AtomicInteger();
  private HttpServer server;

  FakeChatServer(Vertx vertx) {
    this.vertx = vertx;
  }

  int start() {
    Router router = Router.router(vertx);
    SockJSBridgeOptions bridge = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("chat\\..+"));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(bridge, event -> {
      if (event.type() == BridgeEventType.REGISTER) {
        JsonObject headers = event.getRawMessage().getJsonObject("headers", new JsonObject());
        event.complete(headers.getString("Authorization", "").startsWith("Bearer tok-"));
      } else {
        event.complete(true);
      }
    }));
    // the growth mode's upload, answered before any body handling (the fake stores nothing)
    router.post("/api/upload/message-file").handler(rc -> rc.request().body().onSuccess(body -> json(rc,
        body.length() > 0 ? 200 : 400, new JsonObject().put("success", true).put("filename", "messages/" + FILE)
            .put("file_url", "http://127.0.0.1/api/files/messages/" + FILE).put("original_name", "growth.txt")
            .put("size", 28).put("type", "text/plain"))));
    router.route().handler(BodyHandler.create());
    router.get("/api/auth/status").handler(rc -> json(rc, 200, new JsonObject().put("auth_provider", "fake")));
    router.post("/api/auth/register").handler(this::register);
    router.post("/api/auth/login").handler(this::login);
    router.get("/api/auth/me").handler(rc -> json(rc, user(rc) == null ? 401 : 200, new JsonObject()));
    router.post("/api/chat/channels").handler(this::createChannel);
    router.get("/api/chat/channels").handler(this::myChannels);
    router.post("/api/chat/channels/:id/join").handler(rc -> {
      boolean added = members.computeIfAbsent(rc.pathParam("id"), k -> ConcurrentHashMap.newKeySet()).add(user(rc));
      json(rc, added ? 200 : 400, new JsonObject());
    });
    router.post("/api/chat/channels/:id/messages/send").handler(this::send);
    router.get("/api/chat/channels/:id/messages").handler(rc -> json(rc, 200,
        new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("id", "m1")))
            .put("has_more", false)));
    router.post("/api/chat/channels/:id/read").handler(rc -> json(rc, 200, new JsonObject()));
    router.post("/api/chat/channels/:id/typing").handler(rc -> json(rc, 200, new JsonObject()));
    router.post("/api/chat/channels/:id/messages/:mid/reactions").handler(rc -> json(rc, 200, new JsonObject()));
    router.delete("/api/chat/channels/:id/messages/:mid/reactions").handler(rc -> json(rc, 200, new JsonObject()));
    router.get("/api/chat/messages/:id/replies").handler(rc -> json(rc, 200,
        new JsonObject().put("replies", new JsonArray())));
    router.post("/api/chat/messages/:id/replies").handler(rc -> json(rc, 201,
        new JsonObject().put("reply", new JsonObject().put("id", "m" + ids.incrementAndGet()))));
    router.post("/api/chat/messages/:id/pin").handler(rc -> json(rc, 200, new JsonObject().put("message",
        new JsonObject().put("id", rc.pathParam("id")).put("is_pinned", true))));
    router.get("/api/chat/channels/:id/pins").handler(rc -> json(rc, 200,
        new JsonObject().put("messages", new JsonArray()).put("has_more", false)));
    router.get("/api/dm/conversations").handler(rc -> json(rc, 200,
        new JsonObject().put("conversations", new JsonArray())));
    router.post("/api/dm/users/:id/messages").handler(rc -> json(rc, 201,
        new JsonObject().put("message", new JsonObject().put("id", "m" + ids.incrementAndGet()))));
    router.get("/api/chat/search").handler(rc -> json(rc, 200,
        new JsonObject().put("messages", new JsonArray()).put("total", 0)));
    router.get("/api/files/messages/:name").handler(rc -> rc.response().setStatusCode(
        user(rc) != null && FILE.equals(rc.pathParam("name")) ? 302 : 404)
        .putHeader("Location", "http://127.0.0.1/presigned").end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  void resetSendCount() {
    sends.set(0);
  }

  void stop() {
    server.close().await();
  }

  private void register(RoutingContext rc) {
    String email = rc.body().asJsonObject().getString("email");
    String id = "u" + ids.incrementAndGet();
    boolean created = userIdsByEmail.putIfAbsent(email, id) == null;
    json(rc, created ? 201 : 409, new JsonObject().put("user", new JsonObject().put("id", id)));
  }

  private void login(RoutingContext rc) {
    String id = userIdsByEmail.get(rc.body().asJsonObject().getString("email"));
    json(rc, id == null ? 401 : 200,
        new JsonObject().put("token", "tok-" + id).put("user", new JsonObject().put("id", id)));
  }

  private void createChannel(RoutingContext rc) {
    String name = rc.body().asJsonObject().getString("name");
    String id = "c" + ids.incrementAndGet();
    if (channelIdsByName.putIfAbsent(name, id) != null) {
      json(rc, 409, new JsonObject());
      return;
    }
    members.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(user(rc));
    json(rc, 201, new JsonObject().put("channel", new JsonObject().put("id", id).put("name", name)));
  }

  private void myChannels(RoutingContext rc) {
    JsonArray channels = new JsonArray();
    channelIdsByName.forEach((name, id) -> {
      if (members.getOrDefault(id, Set.of()).contains(user(rc))) {
        channels.add(new JsonObject().put("id", id).put("name", name));
      }
    });
    json(rc, 200, new JsonObject().put("channels", channels));
  }

  private void send(RoutingContext rc) {
    String key = rc.request().getHeader("Idempotency-Key");
    if (key == null) {
      sendsWithoutKey.incrementAndGet();
    } else if (sentWithKey.containsKey(user(rc) + ":" + key)) {
      rc.response().putHeader("Idempotent-Replayed", "true");
      json(rc, 201, new JsonObject().put("message", sentWithKey.get(user(rc) + ":" + key)));
      return;
    }
    String channelId = rc.pathParam("id");
    String content = rc.body().asJsonObject().getString("content");
    JsonObject message = new JsonObject().put("id", "m" + ids.incrementAndGet()).put("channel_id", channelId)
        .put("content", content);
    JsonObject event = new JsonObject().put("type", "new_message").put("channelId", channelId)
        .put("messageId", message.getString("id")).put("message", message);
    boolean measured = !content.contains(" w");
    int count = measured ? sends.incrementAndGet() : 0;
    boolean dropped = measured && dropEvery > 0 && count % dropEvery == 0;
    boolean duplicated = measured && !dropped && duplicateEvery > 0 && count % duplicateEvery == 0;
    for (int copies = dropped ? 0 : duplicated ? 2 : 1; copies > 0; copies--) {
      vertx.eventBus().publish("chat.channel." + channelId, event);
    }
    if (key != null) {
      sentWithKey.put(user(rc) + ":" + key, message);
    }
    if (measured && timeoutEvery > 0 && count % timeoutEvery == 0) {
      json(rc, 504, new JsonObject().put("error", "GATEWAY_TIMEOUT")
          .put("details", new JsonObject().put("outcome", "unknown").put("retry_safe_with_idempotency_key", true)));
      return;
    }
    json(rc, 201, new JsonObject().put("message", message));
  }

  private static String user(RoutingContext rc) {
    String authorization = rc.request().getHeader("Authorization");
    return authorization != null && authorization.startsWith("Bearer tok-") ? authorization.substring(11) : null;
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
