package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** A request that counts: attempted, in flight, latency from its due time, success (2xx) or error by status. */
final class Measured {

  private Measured() {
  }

  /**
   * Sends unless {@code maxInFlight} requests are already waiting (then it is an error of the client, and the
   * future fails). The future fails on a non-2xx status too, after it has been counted.
   */
  static Future<HttpResponse<Buffer>> call(RunMetrics metrics, int maxInFlight, long dueNanos,
      Supplier<Future<HttpResponse<Buffer>>> request, LatencyStats... latencies) {
    metrics.attempted.increment();
    if (metrics.inFlight.incrementAndGet() > maxInFlight) {
      metrics.inFlight.decrementAndGet();
      metrics.error("client: over max in flight");
      return Future.failedFuture("over max in flight");
    }
    Future<HttpResponse<Buffer>> response;
    try {
      response = request.get();
    } catch (RuntimeException e) {
      response = Future.failedFuture(e);
    }
    return response.transform(result -> {
      if (metrics.closed) {
        return Future.failedFuture("answered after the end of the run");
      }
      metrics.inFlight.decrementAndGet();
      long latency = System.nanoTime() - dueNanos;
      for (LatencyStats stats : latencies) {
        stats.recordNanos(latency);
      }
      if (result.failed()) {
        metrics.error(kind(result.cause()));
        return Future.failedFuture(result.cause());
      }
      int status = result.result().statusCode();
      if (status / 100 != 2) {
        metrics.error("HTTP " + status);
        return Future.failedFuture("HTTP " + status);
      }
      metrics.succeeded.increment();
      return Future.succeededFuture(result.result());
    });
  }

  static String kind(Throwable failure) {
    if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
      return "timeout";
    }
    return "connection: " + failure.getClass().getSimpleName();
  }
}
