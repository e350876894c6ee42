package com.connectbest.chat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;

/**
 * The auth verticle on an in-memory MongoDB with a hand-moved clock, driven over the event bus as the gateway drives
 * it. Every reply body is kept in {@link #replies} so tests can scan them for leaks.
 */
final class TwoFactorHarness {

  static final String JWT_SECRET = "service-test-secret-0123456789abcdef-0123456789";
  static final String PASSWORD = "SecurePass123";
  /** Ten seconds into a 30-second step, so that ±30 s stay within the neighbouring steps. */
  static final Instant START = Instant.parse("2025-01-15T10:30:10Z");

  final Vertx vertx;
  final MutableClock clock = new MutableClock(START);
  final MongoServer server;
  final MongoClient mongo;
  final ServiceClient client;
  final List<Object> replies = new ArrayList<>();
  private final String database = "twofactor";

  TwoFactorHarness(Vertx vertx, JsonObject extraConfig) {
    this.vertx = vertx;
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    String uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    JsonObject config = new JsonObject().put("MONGODB_URI", uri).put("MONGODB_DB_NAME", database)
        .put("JWT_SECRET_KEY", JWT_SECRET).put("BCRYPT_COST", 10).mergeIn(extraConfig);
    vertx.deployVerticle(new AuthVerticle(clock), new DeploymentOptions().setConfig(config)).await();
    client = new ServiceClient(vertx.eventBus(), 30_000)
        // as a gateway: the service acts only on principals signed with this process's key
        .signingWith(EnvelopeKeys.ephemeral().signing(), EnvelopeKeys.DEFAULT_TTL_SECONDS);
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", database)
        .put("useObjectId", true));
  }

  TwoFactorHarness(Vertx vertx) {
    this(vertx, new JsonObject());
  }

  void close() {
    mongo.close().await();
    server.shutdownNow();
  }

  Future<ServiceReply> send(String action, Principal caller, JsonObject query, Object body) {
    return client.send(Addresses.AUTH, new ServiceRequest(action, caller, new JsonObject(),
        query == null ? new JsonObject() : query, body, null));
  }

  JsonObject ok(String action, Principal caller, Object body) {
    return ok(200, action, caller, null, body);
  }

  JsonObject ok(int status, String action, Principal caller, JsonObject query, Object body) {
    ServiceReply reply;
    try {
      reply = send(action, caller, query, body).await();
    } catch (ApiException e) {
      throw new AssertionError(action + " failed: " + e.status() + " " + e.getMessage(), e);
    }
    assertEquals(status, reply.status(), action);
    replies.add(reply.body());
    return (JsonObject) reply.body();
  }

  ApiException fails(int status, ErrorCode code, String action, Principal caller, Object body) {
    ApiException error = failure(send(action, caller, null, body));
    replies.add(error.toJson());
    assertEquals(status, error.status(), action + ": " + error.getMessage());
    if (code != null) {
      assertEquals(code, error.code(), action + ": " + error.getMessage());
    }
    return error;
  }

  static <T> ApiException failure(Future<T> future) {
    AsyncResult<T> outcome = future.transform(done -> Future.succeededFuture(done)).await();
    if (outcome.succeeded()) {
      fail("expected a failure, got " + outcome.result());
    }
    assertTrue(outcome.cause() instanceof ApiException, String.valueOf(outcome.cause()));
    return (ApiException) outcome.cause();
  }

  /** Registers a user through the service and returns the caller the gateway would resolve. */
  Principal register(String email) {
    JsonObject user = ok(201, "register", null, null, new JsonObject().put("email", email).put("password", PASSWORD)
        .put("name", "Test User")).getJsonObject("user");
    return new Principal(user.getString("id"), user.getString("email"), "Test User", user.getString("role"));
  }

  JsonObject loginBody(Principal user, String code) {
    JsonObject body = new JsonObject().put("email", user.email()).put("password", PASSWORD);
    if (code != null) {
      body.put("code", code);
    }
    return body;
  }

  JsonObject setup(Principal user) {
    return ok("setupTwoFactor", user, new JsonObject().put("password", PASSWORD));
  }

  /** The base32 secret of a setup reply, without the display spaces. */
  static String secretOf(JsonObject setupReply) {
    return setupReply.getString("secret").replace(" ", "");
  }

  /** Turns 2FA on with the code of the current step; returns {secret, backup_codes}. */
  JsonObject enable(Principal user) {
    String secret = secretOf(setup(user));
    JsonArray codes = ok("verifyTwoFactorSetup", user, new JsonObject().put("code", code(secret, 0)))
        .getJsonArray("backup_codes");
    return new JsonObject().put("secret", secret).put("backup_codes", codes);
  }

  /** The code an authenticator app shows at the harness clock plus {@code stepsFromNow} steps. */
  String code(String secret, int stepsFromNow) {
    return codeAt(secret, clock.instant().plus(Duration.ofSeconds(30L * stepsFromNow)));
  }

  /** RFC 6238 with java-otp's own defaults (SHA-1, 6 digits, 30 s): what authenticator apps compute. */
  static String codeAt(String secret, Instant instant) {
    try {
      return new TimeBasedOneTimePasswordGenerator()
          .generateOneTimePasswordString(new SecretKeySpec(Base32.decode(secret), "HmacSHA1"), instant, Locale.ROOT);
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the code happens to be valid within the ±1 step window around the clock (a one-in-a-million clash). */
  boolean validNow(String secret, String code) {
    return code.equals(code(secret, -1)) || code.equals(code(secret, 0)) || code.equals(code(secret, 1));
  }

  /** A 6-digit code that is none of the codes valid around now. */
  String wrongCode(String secret) {
    List<String> valid = new ArrayList<>();
    for (int offset = -2; offset <= 2; offset++) {
      valid.add(code(secret, offset));
    }
    for (int candidate = 0; ; candidate++) {
      String text = String.format(Locale.ROOT, "%06d", candidate);
      if (!valid.contains(text)) {
        return text;
      }
    }
  }

  JsonObject document(Principal user) {
    return mongo.findOne(UserStore.USERS, new JsonObject().put("_id", new JsonObject().put("$oid", user.id())), null)
        .await();
  }

  void updateDocument(Principal user, JsonObject update) {
    mongo.updateCollection(UserStore.USERS, new JsonObject().put("_id", new JsonObject().put("$oid", user.id())), update)
        .await();
  }
}
