package com.connectbest.chat.gateway;

import com.hazelcast.core.HazelcastInstance;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Buckets in a Hazelcast map shared by the whole cluster, so a client cannot multiply its allowance by spreading
 * requests over gateway nodes. Entries expire once their bucket would be full again.
 */
final class ClusterBuckets implements RateLimiter.Buckets {

  static final String MAP = "connectbest.rate-limits";

  private final Vertx vertx;
  private final AsyncProxyManager<String> buckets;

  private ClusterBuckets(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.buckets = Bucket4jHazelcast.<String>entryProcessorBasedBuilder(hazelcast.getMap(MAP))
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
        .build()
        .asAsync();
  }

  /** Cluster-wide buckets when this Vert.x is clustered with Hazelcast, else buckets local to this node. */
  static RateLimiter.Buckets forVertx(Vertx vertx) {
    if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager manager) {
      return new ClusterBuckets(vertx, manager.getHazelcastInstance());
    }
    return LocalBuckets.forVertx(vertx);
  }

  @Override
  public Future<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
    CompletableFuture<ConsumptionProbe> probe = buckets.builder()
        .build(key, () -> CompletableFuture.completedFuture(configuration))
        .tryConsumeAndReturnRemaining(1);
    return Future.fromCompletionStage(probe, vertx.getOrCreateContext());
  }
}
