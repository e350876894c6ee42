package com.connectbest.chat.app;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code chat.cluster.subscriptions} gauge: how many entries Hazelcast's event-bus subscription map holds, cluster
 * wide (one per node and address with a consumer, see docs/event-bus.md, "Fan-out hubs"). Every member holds and
 * updates a copy of that map, so its size is what subscriptions cost each node; operators watch it grow with
 * channels × nodes, not with sockets.
 *
 * <p>Counting asks every member's partitions, so it runs on a worker every {@link #SAMPLE_MS}, never on a scrape's
 * event loop; the gauge shows the last sample ({@code -1} before the first, or while the cluster cannot answer).
 */
final class ClusterSubscriptions {

  static final String GAUGE = "chat.cluster.subscriptions";
  static final long SAMPLE_MS = 5_000;
  /** The map vertx-hazelcast keeps subscriptions in. */
  private static final String SUBSCRIPTION_MAP = "__vertx.subs";

  private ClusterSubscriptions() {
  }

  static void watch(Vertx vertx, HazelcastInstance hazelcast) {
    AtomicLong entries = new AtomicLong(-1);
    Gauge.builder(GAUGE, entries, AtomicLong::get).strongReference(true)
        .description("entries in Hazelcast's event-bus subscription map, cluster wide (sampled)")
        .register(Metrics.globalRegistry);
    Runnable sample = () -> vertx.executeBlocking(() -> {
      try {
        return hazelcast.getLifecycleService().isRunning()
            ? (long) hazelcast.getMultiMap(SUBSCRIPTION_MAP).size() : -1L;
      } catch (RuntimeException e) {
        return -1L; // a member leaving or shutting down; the next sample counts again
      }
    }, false).onSuccess(entries::set);
    sample.run();
    vertx.setPeriodic(SAMPLE_MS, id -> sample.run());
  }
}
