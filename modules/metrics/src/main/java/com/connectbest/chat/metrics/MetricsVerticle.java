package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.UUID;

/**
 * Health and operational figures. Every node runs one: it samples its own process every
 * {@code METRICS_SAMPLE_INTERVAL_MS} and publishes the sample, and it keeps every node's samples, so any of them
 * answers for the whole cluster.
 */
public class MetricsVerticle extends ServiceVerticle {

  static final long DEFAULT_INTERVAL_MS = 10_000;
  static final long HISTORY_MS = 24 * 3_600_000L;

  private long timer = -1;

  /** It reports on the store, so it must start (and say "unhealthy") while the store is down. */
  @Override
  protected boolean needsStoreToStart() {
    return false;
  }

  @Override
  protected String address() {
    return Addresses.METRICS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    long interval = settings.number("METRICS_SAMPLE_INTERVAL_MS", DEFAULT_INTERVAL_MS);
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    String nodeId = cluster == null ? UUID.randomUUID().toString() : cluster.getNodeId();
    SampleBook book = new SampleBook(interval, HISTORY_MS);
    NodeSampler sampler = new NodeSampler(nodeId);
    // a node silent for three intervals is paused or gone: its log figures leave the sum until it publishes again
    LogBook logBook = new LogBook(3 * interval);
    LogsInsights insights = new LogsInsights(nodeId, LogCounters.installed(), logBook, services,
        java.time.Instant::now);
    MetricsApi.register(dispatcher, new MetricsService(book, services, settings, System::currentTimeMillis),
        new DependencyHealth(vertx, mongo(), settings, nodeId), insights);
    return Future.all(
            vertx.eventBus().<JsonObject>consumer(Addresses.METRICS_SAMPLED,
                message -> book.add(Sample.fromJson(message.body()))).completion(),
            vertx.eventBus().<JsonObject>consumer(Addresses.METRICS_LOGS,
                message -> logBook.add(LogSnapshot.fromJson(message.body()))).completion())
        .onSuccess(ready -> timer = vertx.setPeriodic(0, interval, id -> {
          vertx.eventBus().publish(Addresses.METRICS_SAMPLED, sampler.next(System.currentTimeMillis()).toJson());
          vertx.eventBus().publish(Addresses.METRICS_LOGS, insights.snapshot().toJson());
        }));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return super.stop();
  }
}
