package com.connectbest.chat.gateway;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** Buckets kept on this node (no cluster): one set per Vert.x instance, shared by all its gateway instances. */
final class LocalBuckets implements RateLimiter.Buckets {

  /** Bounds memory under a flood of distinct keys; dropping all buckets only forgives, never blocks. */
  private static final int MAX_KEYS = 100_000;
  private static final Map<Vertx, LocalBuckets> PER_VERTX = new WeakHashMap<>();

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  static synchronized LocalBuckets forVertx(Vertx vertx) {
    return PER_VERTX.computeIfAbsent(vertx, v -> new LocalBuckets());
  }

  @Override
  public Future<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
    if (buckets.size() > MAX_KEYS) {
      buckets.clear();
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build());
    return Future.succeededFuture(bucket.tryConsumeAndReturnRemaining(1));
  }
}
