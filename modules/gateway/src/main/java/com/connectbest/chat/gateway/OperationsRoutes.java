package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What operators and orchestrators call, outside the API contract: {@code /health/live}, {@code /health/ready}
 * (every service this node expects answers a ping somewhere in the cluster, which includes its store), and
 * {@code /metrics} in Prometheus text format (behind {@code METRICS_TOKEN} when set).
 */
final class OperationsRoutes {

  static final List<String> ALL_SERVICES = List.of("auth", "channels", "messages", "dms", "uploads", "metrics");
  private static final long PING_TIMEOUT_MS = 2_000;

  private OperationsRoutes() {
  }

  static void mount(Router root, Vertx vertx, Settings settings, BooleanSupplier shuttingDown) {
    ServiceClient pinger = new ServiceClient(vertx.eventBus(), PING_TIMEOUT_MS);
    HealthChecks ready = HealthChecks.create(vertx);
    List<String> configured = settings.list("READY_SERVICES");
    List<String> expected = configured.isEmpty() ? ALL_SERVICES : configured;
    for (String service : expected) {
      ready.register(service, PING_TIMEOUT_MS + 500, promise -> pinger
          .call(Addresses.service(service), InternalActions.PING, new JsonObject())
          // try*: the health check's own timeout may have completed the promise first (on a busy machine)
          .onSuccess(ok -> promise.tryComplete(Status.OK()))
          .onFailure(error -> promise.tryComplete(Status.KO(new JsonObject()
              .put("reason", ServiceClient.toApiException(error).getMessage())))));
    }
    root.get("/health/live").handler(HealthCheckHandler.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK())));
    root.get("/health/ready").handler(rc -> notReadyWhileShuttingDown(rc, shuttingDown))
        .handler(HealthCheckHandler.createWithHealthChecks(ready));
    String token = settings.string("METRICS_TOKEN", null);
    root.get("/metrics").handler(rc -> scrape(rc, vertx, token));
  }

  /** A node shutting down says so at once, so load balancers stop sending it work before its services go. */
  private static void notReadyWhileShuttingDown(RoutingContext rc, BooleanSupplier shuttingDown) {
    if (!shuttingDown.getAsBoolean()) {
      rc.next();
      return;
    }
    JsonObject check = new JsonObject().put("id", "shutdown").put("status", "DOWN")
        .put("data", new JsonObject().put("reason", "this node is shutting down"));
    rc.response().setStatusCode(503).putHeader("Content-Type", "application/json;charset=UTF-8")
        .end(new JsonObject().put("status", "DOWN").put("outcome", "DOWN")
            .put("checks", new io.vertx.core.json.JsonArray().add(check)).encode());
  }

  private static void scrape(RoutingContext rc, Vertx vertx, String token) {
    if (token != null && !bearerMatches(rc.request().getHeader("Authorization"), token)) {
      ErrorResponses.write(rc, ApiException.unauthorized("A valid metrics token is required"));
      return;
    }
    PrometheusMeterRegistry registry = Meters.registry() instanceof CompositeMeterRegistry composite
        ? composite.getRegistries().stream().filter(PrometheusMeterRegistry.class::isInstance)
            .map(PrometheusMeterRegistry.class::cast).findFirst().orElse(null)
        : null;
    if (registry == null) {
      ErrorResponses.write(rc, ApiException.unavailable("Metrics are not enabled on this node"));
      return;
    }
    vertx.executeBlocking(registry::scrape).onComplete(done -> {
      if (done.failed()) {
        ErrorResponses.write(rc, ApiException.internal());
        return;
      }
      rc.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(done.result());
    });
  }

  private static boolean bearerMatches(String header, String token) {
    String expected = "Bearer " + token;
    return header != null && MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }
}
