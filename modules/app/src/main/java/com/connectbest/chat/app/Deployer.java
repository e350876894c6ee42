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

  /** Resolves to the HTTP port actually bound (or {@link #NO_HTTP}). */
  static Future<Integer> deploy(Vertx vertx, JsonObject config, List<String> names) {
    List<Future<String>> services = names.stream()
        .filter(name -> !VerticleCatalog.GATEWAY.equals(name))
        .map(name -> vertx.deployVerticle(VerticleCatalog.factory(name), new DeploymentOptions().setConfig(config)))
        .toList();
    return Future.all(services).compose(ready -> names.contains(VerticleCatalog.GATEWAY)
        ? deployGateway(vertx, config)
        : Future.succeededFuture(NO_HTTP));
  }

  /** Services go first, so the gateway's first requests find them. */
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
