package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway deployed alone, with fake services on the bus: the auth service knows a few users, the other services
 * echo what the gateway forwarded, so tests can see exactly what reached them.
 */
final class GatewayHarness {

  static final String SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
  static final String ALICE = "507f1f77bcf86cd799439011";
  static final String GHOST = "507f1f77bcf86cd7994390ff";

  final Vertx vertx;
  final WebClient client;
  final int port;
  final Map<String, JsonObject> users = new HashMap<>();
  /** resolvePrincipal requests the fake auth service received. */
  final java.util.concurrent.atomic.AtomicInteger resolutions = new java.util.concurrent.atomic.AtomicInteger();
  final GatewayVerticle verticle = new GatewayVerticle();
  private final Map<String, MessageConsumer<JsonObject>> echoes = new HashMap<>();

  GatewayHarness(Vertx vertx, JsonObject extraConfig) {
    this.vertx = vertx;
    this.port = freePort();
    users.put(ALICE, new JsonObject().put("id", ALICE).put("email", "alice@example.com").put("name", "Alice")
        .put("role", "user"));
    fakeAuth();
    for (String service : new String[] {Addresses.MESSAGES, Addresses.DMS, Addresses.METRICS}) {
      echoes.put(service, vertx.eventBus().<JsonObject>consumer(service, GatewayHarness::echo));
    }
    JsonObject config = new JsonObject()
        .put("PORT", port).put("HOST", "127.0.0.1")
        .put("JWT_SECRET_KEY", SECRET)
        .put("SERVICE_TIMEOUT_MS", 1000)
        .put("MAX_JSON_BODY_BYTES", 4096)
        .put("GATEWAY_INSTANCES", 1)
        .mergeIn(extraConfig);
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setFollowRedirects(false));
  }

  /** Makes an echoing service take requests and never answer (a service that is too slow). */
  void silence(String service) {
    echoes.remove(service).unregister().await();
    vertx.eventBus().consumer(service, message -> { }).completion().await();
  }

  private void fakeAuth() {
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH, message -> {
      if (InternalActions.RESOLVE_PRINCIPAL.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        resolutions.incrementAndGet();
        JsonObject user = users.get(message.body().getJsonObject("body").getString("user_id"));
        JsonObject body = user == null ? new JsonObject().put("found", false)
            : new JsonObject().put("found", true).put("principal", user)
                .put("tokens_valid_after_ms", user.getLong("tokens_valid_after_ms")); // set by a test's "sign-out"
        message.reply(ServiceReply.ok(body).toJson());
      } else if ("getCurrentUser".equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        JsonObject principal = message.body().getJsonObject("principal");
        if (users.containsKey(principal.getString("id"))) {
          echo(message);
        } else {
          ApiException missing = ApiException.notFound("User not found");
          message.fail(missing.status(), missing.toJson().encode());
        }
      } else {
        echo(message);
      }
    });
  }

  static void echo(Message<JsonObject> message) {
    JsonObject seen = message.body().copy().put("action", message.headers().get(ServiceRequest.ACTION_HEADER));
    message.reply(ServiceReply.ok(seen).toJson());
  }

  String token(JsonObject claims) {
    return token(claims, "HS256", SECRET, 3600);
  }

  String token(JsonObject claims, String algorithm, String secret, int expiresInSeconds) {
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(secret)));
    JWTOptions options = new JWTOptions().setAlgorithm(algorithm);
    if (expiresInSeconds != 0) {
      options.setExpiresInSeconds(expiresInSeconds);
    }
    return jwt.generateToken(claims, options);
  }

  String aliceToken() {
    return token(new JsonObject().put("user_id", ALICE).put("id", ALICE).put("sub", ALICE)
        .put("email", "alice@example.com").put("role", "user"));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
