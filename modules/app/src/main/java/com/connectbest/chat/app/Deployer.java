package com.connectbest.chat.app;

import com.connectbest.chat.common.Settings;
import com.connectbest.chat.gateway.BotBridgeVerticle;
import com.connectbest.chat.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Deploys the chosen verticles: services one instance each, then the gateway on GATEWAY_INSTANCES event loops. */
final class Deployer {

  /** Returned as the HTTP port when this node runs no gateway. */
  static final int NO_HTTP = -1;

  /** What was deployed: the HTTP port actually bound (or {@link #NO_HTTP}) and the gateway instances serving it. */
  record Deployed(int httpPort, List<GatewayVerticle> gateways) {
  }

  private Deployer() {
  }

  /**
   * Resolves once everything is deployed. Services and gateway start side by side (the gateway's contract parsing
   * overlaps the stores' start-up); a request in the moment between the gateway listening and a service consuming its
   * address gets the standard 503, and /health/ready says not ready.
   *
   * <p>When one verticle fails, this still waits until every other one has finished starting (or failed) before
   * failing: closing Vert.x while a verticle is still starting makes Vert.x complete that verticle's start promise
   * twice ("Promise already completed").
   */
  static Future<Deployed> deploy(Vertx vertx, JsonObject config, List<String> names) {
    List<Future<?>> all = new ArrayList<>();
    for (String name : names) {
      if (!VerticleCatalog.GATEWAY.equals(name)) {
        all.add(named(name, vertx.deployVerticle(VerticleCatalog.factory(name),
            new DeploymentOptions().setConfig(config))));
      }
    }
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    Future<Integer> gateway = names.contains(VerticleCatalog.GATEWAY)
        ? named(VerticleCatalog.GATEWAY, deployGateway(vertx, config, gateways))
        : Future.succeededFuture(NO_HTTP);
    all.add(gateway);
    if (names.contains(VerticleCatalog.GATEWAY) && new Settings(config).integer("BOT_BRIDGE_PORT", 0) > 0) {
      // one instance per node: its connections are few and long-lived
      all.add(named("bot-bridge", vertx.deployVerticle(new BotBridgeVerticle(),
          new DeploymentOptions().setConfig(config))));
    }
    return Future.join(all).transform(done -> {
      List<Throwable> failures = all.stream().filter(Future::failed).map(Future::cause).toList();
      if (failures.isEmpty()) {
        return Future.succeededFuture(new Deployed(gateway.result(), List.copyOf(gateways)));
      }
      String more = failures.size() > 1 ? " (and " + (failures.size() - 1) + " more verticles failed)" : "";
      return Future.failedFuture(new DeployFailure(failures.get(0).getMessage() + more, failures.get(0)));
    });
  }

  /** Prefixes a verticle's failure with its name, so the one line an operator reads says which part failed. */
  private static <T> Future<T> named(String name, Future<T> deployment) {
    return deployment.recover(error -> Future.failedFuture(new DeployFailure(name + ": " + error.getMessage(), error)));
  }

  private static Future<Integer> deployGateway(Vertx vertx, JsonObject config, List<GatewayVerticle> gateways) {
    int instances = new Settings(config).integer("GATEWAY_INSTANCES", Runtime.getRuntime().availableProcessors());
    return vertx.deployVerticle(() -> {
      GatewayVerticle gateway = new GatewayVerticle();
      gateways.add(gateway);
      return gateway;
    }, new DeploymentOptions().setConfig(config).setInstances(Math.max(1, instances)))
        .map(id -> gateways.get(0).port());
  }

  /** A verticle that did not start; its message is the one line the log shows (the cause is kept for DEBUG). */
  static final class DeployFailure extends RuntimeException {
    DeployFailure(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }
}
