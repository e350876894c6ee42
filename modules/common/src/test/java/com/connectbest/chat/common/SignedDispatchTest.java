package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SignedDispatchTest {

  private static final String ADDRESS = "service.signed-dispatch-test";
  private static final KeyPair GATEWAY = EnvelopeKeys.generate();
  private static final Principal ADMIN = new Principal("64a000000000000000000009", "root@example.com", "Root", "admin");

  static {
    // The global registry counts nothing until a registry joins it (the application adds Prometheus).
    io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  private Vertx vertx;
  private final AtomicInteger acted = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    new ServiceDispatcher().verifyingWith(List.of(GATEWAY.getPublic()))
        .on("deleteUser", request -> {
          acted.incrementAndGet();
          return Future.succeededFuture(ServiceReply.ok(new JsonObject().put("by", request.requirePrincipal().id())));
        })
        .on(InternalActions.PING, request -> {
          acted.incrementAndGet();
          return Future.succeededFuture(ServiceReply.ok(new JsonObject()));
        })
        .register(vertx.eventBus(), ADDRESS).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private ServiceRequest request(Principal principal) {
    return new ServiceRequest("deleteUser", principal, new JsonObject(), new JsonObject(), null, "r1");
  }

  @Test
  @DisplayName("a service acts on a principal the gateway's client signed, and refuses and counts an unsigned one")
  void signedOnly() {
    ServiceClient gateway = new ServiceClient(vertx.eventBus()).signingWith(GATEWAY.getPrivate(), 60);
    assertEquals(ADMIN.id(), ((JsonObject) gateway.send(ADDRESS, request(ADMIN)).await().body()).getString("by"));

    double refusedBefore = Meters.counted(Meters.ENVELOPES_REFUSED);
    double blockedBefore = Meters.counted(Meters.REQUESTS_BLOCKED);
    ServiceClient forger = new ServiceClient(vertx.eventBus());
    ApiException unsigned = assertThrows(ApiException.class, () -> forger.send(ADDRESS, request(ADMIN)).await());
    assertEquals(403, unsigned.status());
    String otherKey = EnvelopeSignature.sign(EnvelopeKeys.generate().getPrivate(), "deleteUser", ADMIN, 60,
        System.currentTimeMillis());
    assertEquals(403, assertThrows(ApiException.class,
        () -> forger.send(ADDRESS, request(ADMIN.withSignature(otherKey))).await()).status());
    assertEquals(1, acted.get(), "only the signed request reached the handler");
    assertEquals(refusedBefore + 2, Meters.counted(Meters.ENVELOPES_REFUSED));
    assertEquals(blockedBefore + 2, Meters.counted(Meters.REQUESTS_BLOCKED));
  }

  @Test
  @DisplayName("internal calls without a principal need no signature, and a service relays a caller's signature as is")
  void internalAndRelayed() {
    new ServiceClient(vertx.eventBus()).call(ADDRESS, InternalActions.PING, new JsonObject()).await();
    // What the gateway sent to the first service arrives with its signature; that service sends it on unchanged.
    ServiceRequest received = ServiceRequest.fromJson("deleteUser", new ServiceClient(vertx.eventBus())
        .signingWith(GATEWAY.getPrivate(), 60).sign(request(ADMIN)).toJson());
    new ServiceClient(vertx.eventBus()).send(ADDRESS, request(received.principal())).await();
    assertEquals(2, acted.get());
  }
}
