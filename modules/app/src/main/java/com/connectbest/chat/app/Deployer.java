package com.connectbest.chat.app;

import com.connectbest.chat.common.Settings;
import com.connectbest.chat.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Deploys the chosen verticles: services one instance each, then the gateway on GATEWAY_INSTANCES event loops. */
final class Deployer {

  /** Returned as the HTTP port when this node runs no gateway. */
  static final int NO_HTTP = -1;

  private Deployer() {
  }

  /**
   * Resolves to the HTTP port actually bound (or {@link #NO_HTTP}) once everything is deployed. Services and gateway
   * start side by side (the gateway's contract parsing overlaps the stores' start-up); a request in the moment between
   * the gateway listening and a service consuming its address gets the standard 503, and /health/ready says not ready.
   */
  static Future<Integer> deploy(Vertx vertx, JsonObject config, List<String> names) {
    List<Future<String>> services = names.stream()
        .filter(name -> !VerticleCatalog.GATEWAY.equals(name))
        .map(name -> vertx.deployVerticle(VerticleCatalog.factory(name), new DeploymentOptions().setConfig(config)))
        .toList();
    Future<Integer> gateway = names.contains(VerticleCatalog.GATEWAY)
        ? deployGateway(vertx, config)
        : Future.succeededFuture(NO_HTTP);
    return Future.all(Future.all(services), gateway).map(ready -> gateway.result());
  }

  private static Future<Integer> deployGateway(Vertx vertx, JsonObject config) {
    int instances = new Settings(config).integer("GATEWAY_INSTANCES", Runtime.getRuntime().availableProcessors());
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
      GatewayVerticle gateway = new GatewayVerticle();
      gateways.add(gateway);
      return gateway;
    }, new DeploymentOptions().setConfig(config).setInstances(Math.max(1, instances)))
        .map(id -> gateways.get(0).port());
  }
}
