package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AuthenticatorLookupsTest {

  private final List<Message<JsonObject>> lookups = new CopyOnWriteArrayList<>();
  private Context context;
  private Authenticator authenticator;
  private String token;

  @BeforeEach
  void start(Vertx vertx) {
    // the fake auth service holds each lookup until the test answers it
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH, message -> {
      if (InternalActions.RESOLVE_PRINCIPAL.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        lookups.add(message);
      }
    }).completion().await();
    context = vertx.getOrCreateContext();
    JsonObject config = new JsonObject().put("JWT_SECRET_KEY", GatewayHarness.SECRET);
    authenticator = onContext(() -> Future.succeededFuture(new Authenticator(vertx, new Settings(config),
        new ServiceClient(vertx.eventBus(), 5_000)))).await();
    token = "Bearer " + JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("HS256").setBuffer(GatewayHarness.SECRET)))
        .generateToken(new JsonObject().put("user_id", GatewayHarness.ALICE), new JWTOptions().setExpiresInSeconds(60));
  }

  /** Runs on the gateway's event loop, as the bridge and the routes do. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  private void answer(Message<JsonObject> lookup) {
    answer(lookup, null);
  }

  private void answer(Message<JsonObject> lookup, Long tokensValidAfterMs) {
    lookup.reply(ServiceReply.ok(new JsonObject().put("found", true).put("principal", new JsonObject()
            .put("id", GatewayHarness.ALICE).put("email", "alice@example.com").put("name", "Alice").put("role", "user"))
        .put("tokens_valid_after_ms", tokensValidAfterMs)).toJson());
  }

  private String token(Vertx vertx, int expiresInSeconds) {
    return "Bearer " + JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("HS256").setBuffer(GatewayHarness.SECRET)))
        .generateToken(new JsonObject().put("user_id", GatewayHarness.ALICE).put("auth_time_ms",
            System.currentTimeMillis()), new JWTOptions().setExpiresInSeconds(expiresInSeconds));
  }

  private static void refused(Future<?> attempt, String why) {
    Throwable error = assertThrows(Throwable.class, attempt::await);
    assertTrue(error instanceof ApiException refusal && refusal.status() == 401 && refusal.getMessage().contains(why),
        String.valueOf(error));
  }

  private void awaitLookups(int count) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (lookups.size() < count && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(count, lookups.size());
  }

  @Test
  @DisplayName("The Authorization header's credentials are read for the Bearer scheme in any case and spacing, and for nothing else")
  void bearerCredentials() {
    assertEquals("abc.def.ghi", Authenticator.bearerCredentials("Bearer abc.def.ghi"));
    assertEquals("abc.def.ghi", Authenticator.bearerCredentials("  bEARER \t abc.def.ghi  "));
    assertEquals("cb_bot_x y", Authenticator.bearerCredentials("Bearer cb_bot_x y"), "the rest, as it is");
    assertNull(Authenticator.bearerCredentials("Bearer"));
    assertNull(Authenticator.bearerCredentials("Bearer   "));
    assertNull(Authenticator.bearerCredentials("Bearerabc def"));
    assertNull(Authenticator.bearerCredentials("Basic dXNlcjpwYXNz"));
    assertNull(Authenticator.bearerCredentials("Bear abc"));
    assertNull(Authenticator.bearerCredentials(""));
  }

  @Test
  @DisplayName("concurrent requests of one user share one principal lookup, whose answer is then cached")
  void concurrentRequestsShareOneLookup() {
    List<Future<Authenticator.Bearer>> bearers = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      bearers.add(onContext(() -> authenticator.bearerToken(token)));
    }
    awaitLookups(1);
    answer(lookups.get(0));
    for (Future<Authenticator.Bearer> bearer : bearers) {
      assertTrue(bearer.await().caller().found());
    }
    assertTrue(onContext(() -> authenticator.bearerToken(token)).await().caller().found());
    assertEquals(1, lookups.size(), "the answer is cached");
  }

  @Test
  @DisplayName("a user change during a lookup keeps its possibly older answer out of the cache")
  void changeDuringLookupIsNotCached(Vertx vertx) {
    Future<Authenticator.Bearer> during = onContext(() -> authenticator.bearerToken(token));
    awaitLookups(1);
    // delivered on the gateway's context before the answer below, since both go through it in order
    onContext(() -> {
      vertx.eventBus().publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", GatewayHarness.ALICE));
      return Future.succeededFuture();
    }).await();
    onContext(() -> Future.succeededFuture()).await(); // the event's handler has run on the context by now
    answer(lookups.get(0));
    assertTrue(during.await().caller().found(), "the lookup still answers the request that asked for it");
    Future<Authenticator.Bearer> after = onContext(() -> authenticator.bearerToken(token));
    awaitLookups(2);
    answer(lookups.get(1));
    assertTrue(after.await().caller().found());
  }

  @Test
  @DisplayName("a token whose verification is remembered is refused once it expires")
  void rememberedTokenExpires(Vertx vertx) throws InterruptedException {
    // exp counts whole seconds from a floored iat: a 1 s token made at x.999 s is already expired at x+1.0 s, so
    // it lives between 1 and 2 s here, and is surely expired 3 s later
    String shortLived = token(vertx, 2);
    Future<Authenticator.Bearer> first = onContext(() -> authenticator.bearerToken(shortLived));
    awaitLookups(1);
    answer(lookups.get(0));
    assertTrue(first.await().caller().found());
    assertTrue(onContext(() -> authenticator.bearerToken(shortLived)).await().caller().found(), "remembered");
    Thread.sleep(3_100);
    refused(onContext(() -> authenticator.bearerToken(shortLived)), "expired");
  }

  @Test
  @DisplayName("a sign-out revokes a token whose verification is remembered")
  void rememberedTokenIsStillRevoked(Vertx vertx) {
    String used = token(vertx, 60);
    Future<Authenticator.Bearer> first = onContext(() -> authenticator.bearerToken(used));
    awaitLookups(1);
    answer(lookups.get(0));
    assertTrue(first.await().caller().found());
    onContext(() -> {
      vertx.eventBus().publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", GatewayHarness.ALICE));
      return Future.succeededFuture();
    }).await();
    onContext(() -> Future.succeededFuture()).await();
    Future<Authenticator.Bearer> after = onContext(() -> authenticator.bearerToken(used));
    awaitLookups(2);
    answer(lookups.get(1), System.currentTimeMillis() + 1_000);
    refused(after, "revoked");
  }

  @Test
  @DisplayName("a token with a forged signature is refused, though a genuine token of the same user is remembered")
  void forgedTokenIsRefused(Vertx vertx) {
    Future<Authenticator.Bearer> first = onContext(() -> authenticator.bearerToken(token));
    awaitLookups(1);
    answer(lookups.get(0));
    assertTrue(first.await().caller().found());
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
    refused(onContext(() -> authenticator.bearerToken(forged)), "Invalid");
  }
}
