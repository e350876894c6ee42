package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.function.Supplier;

/**
 * A message send with an idempotency key, retried with that same key while its outcome is unknown (no answer, 503,
 * 504). The server stores a keyed message at most once, so a retry must never show up as a duplicate delivery.
 */
final class KeyedSend {

  private KeyedSend() {
  }

  /** The key of one send of a run: unique across runs, the same for every retry of the send. */
  static String key(String runId, long seq) {
    return runId + "-" + seq;
  }

  /** @param attempt one measured attempt, sending the same key each time */
  static Future<HttpResponse<Buffer>> send(RunMetrics metrics, int retries,
                                           Supplier<Future<HttpResponse<Buffer>>> attempt) {
    return attempt.get().transform(done -> {
      if (done.succeeded()) {
        if ("true".equals(done.result().getHeader("Idempotent-Replayed"))) {
          metrics.replayed.increment();
        }
        return Future.succeededFuture(done.result());
      }
      if (retries > 0 && !metrics.closed && outcomeUnknown(done.cause())) {
        metrics.retried.increment();
        return send(metrics, retries - 1, attempt);
      }
      return Future.failedFuture(done.cause());
    });
  }

  /** Failures of {@link Measured#call} after which the message may or may not be stored. */
  private static boolean outcomeUnknown(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    if (message.equals("HTTP 503") || message.equals("HTTP 504")) {
      return true;
    }
    // Other HTTP statuses are answers, and the client's own refusals never reached the server.
    return !message.startsWith("HTTP ") && !message.equals("over max in flight")
        && !message.equals("answered after the end of the run");
  }
}
