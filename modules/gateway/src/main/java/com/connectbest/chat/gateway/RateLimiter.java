package com.connectbest.chat.gateway;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.Meters;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets (Bucket4j) per operation group, keyed by client IP and by account. Refusals are 429 in the standard
 * error format, with {@code Retry-After}.
 */
final class RateLimiter {

  /** Where buckets live: this node only, or shared by the cluster. */
  interface Buckets {
    Future<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration);
  }

  private final RateLimitRules rules;
  private final Buckets buckets;

  RateLimiter(RateLimitRules rules, Buckets buckets) {
    this.rules = rules;
    this.buckets = buckets;
  }

  /** Succeeds when the call may proceed; fails with a 429 {@link ApiException} otherwise. */
  Future<Void> check(String operationId, String clientIp, String account) {
    RateLimitRules.Rule rule = rules.ruleFor(operationId);
    if (rule == null) {
      return Future.succeededFuture();
    }
    Future<Void> byIp = consume(rule.group() + ":ip:" + clientIp, rule.perIp());
    return byIp.compose(ok -> account == null ? Future.succeededFuture()
        : consume(rule.group() + ":account:" + account, rule.perAccount()));
  }

  private Future<Void> consume(String key, RateLimitRules.Limit limit) {
    if (limit == null) {
      return Future.succeededFuture();
    }
    BucketConfiguration configuration = BucketConfiguration.builder()
        .addLimit(bandwidth -> bandwidth.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
        .build();
    return buckets.tryConsume(key, configuration).compose(probe -> {
      if (probe.isConsumed()) {
        return Future.succeededFuture();
      }
      Meters.count(Meters.RATE_LIMITED);
      long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
      return Future.failedFuture(new ApiException(429, ErrorCode.RATE_LIMITED,
          "Too many requests; retry in " + retryAfter + " s", new JsonObject().put("retry_after_seconds", retryAfter)));
    });
  }
}
