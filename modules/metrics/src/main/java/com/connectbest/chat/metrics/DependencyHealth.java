package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.NodeClusterState;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Properties;

/**
 * The health report: a ping of the database (with its latency), the uploads service's check of the bucket, a
 * connection to the SMTP server when one is configured, and this node's view of the cluster. The database is
 * essential (unhealthy without it); storage and mail only degrade the service.
 */
final class DependencyHealth {

  private static final String VERSION = readVersion();
  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final ServiceClient pinger;
  private final String mailHost;
  private final int mailPort;
  private final String nodeId;
  private final NetClient smtpProbe;

  DependencyHealth(Vertx vertx, MongoClient mongo, Settings settings, String nodeId) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.pinger = new ServiceClient(vertx.eventBus(), CHECK_TIMEOUT_MS);
    this.mailHost = settings.string("MAIL_SERVER", null);
    this.mailPort = settings.integer("MAIL_PORT", 587);
    this.nodeId = nodeId;
    this.smtpProbe = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) CHECK_TIMEOUT_MS));
  }

  static String version() {
    return VERSION;
  }

  Future<JsonObject> report() {
    Future<JsonObject> database = database();
    Future<JsonObject> storage = pinger.call(Addresses.UPLOADS, InternalActions.PING, new JsonObject())
        .map(ok -> status(true)).otherwise(error -> status(false));
    Future<JsonObject> mail = mail();
    return Future.join(database, storage, mail).transform(done -> {
      JsonObject services = new JsonObject().put("database", database.result()).put("storage", storage.result())
          .put("mail", mail.result()).put("cluster", cluster());
      // A node cut off from the cluster must not look healthy: its load balancer should send work elsewhere.
      boolean dbUp = isHealthy(database.result()) && isHealthy(services.getJsonObject("cluster"));
      boolean othersUp = isHealthy(storage.result()) && isHealthy(mail.result());
      return Future.succeededFuture(new JsonObject()
          .put("status", !dbUp ? "unhealthy" : othersUp ? "healthy" : "degraded")
          .put("uptime", availability())
          .put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)
          .put("version", VERSION)
          .put("timestamp", Instant.now().toString())
          .put("services", services));
    });
  }

  /**
   * Availability in percent, as the ops page shows it: the share of this process's HTTP responses since it started
   * that were not server errors (5xx); 100 before the first response.
   */
  static double availability() {
    java.util.Collection<io.micrometer.core.instrument.Timer> timers =
        com.connectbest.chat.common.Meters.registry().find(com.connectbest.chat.common.Meters.HTTP_REQUESTS).timers();
    long all = timers.stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    long failed = timers.stream().filter(timer -> "server_error".equals(timer.getId().getTag("outcome")))
        .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    return all == 0 ? 100.0 : Math.round(10_000.0 * (all - failed) / all) / 100.0;
  }

  private Future<JsonObject> database() {
    long start = System.nanoTime();
    return MongoClients.ping(mongo)
        .map(ok -> status(true).put("latency_ms", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0))
        .otherwise(error -> status(false));
  }

  private Future<JsonObject> mail() {
    if (mailHost == null) {
      return Future.succeededFuture(status(true).put("mode", "log"));
    }
    return smtpProbe.connect(mailPort, mailHost)
        .compose(socket -> socket.close().map(status(true).put("mode", "smtp")))
        .otherwise(error -> status(false).put("mode", "smtp"));
  }

  private JsonObject cluster() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    NodeClusterState state = NodeClusterState.current(vertx);
    JsonObject cluster = status(state.connected())
        .put("members", manager == null ? 1 : manager.getNodes().size()).put("node_id", nodeId);
    if (manager != null) {
      cluster.put("expected_members", state.expected());
    }
    return state.connected() ? cluster : cluster.put("reason", state.reason());
  }

  private static JsonObject status(boolean healthy) {
    return new JsonObject().put("status", healthy ? "healthy" : "unhealthy");
  }

  private static boolean isHealthy(JsonObject dependency) {
    return "healthy".equals(dependency.getString("status"));
  }

  private static String readVersion() {
    try (InputStream in = DependencyHealth.class.getResourceAsStream("/connectbest-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
