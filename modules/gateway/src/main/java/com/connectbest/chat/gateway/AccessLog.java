package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Meters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives each request an id (echoed as X-Request-ID) and logs one JSON line per response. */
final class AccessLog {

  static final String REQUEST_ID = "requestId";
  static final String USER_ID = "userId";

  private static final Logger LOG = LoggerFactory.getLogger("access");
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private AccessLog() {
  }

  static void handle(RoutingContext rc) {
    long start = System.nanoTime();
    String incoming = rc.request().getHeader("X-Request-ID");
    String requestId = incoming != null && SAFE_ID.matcher(incoming).matches() ? incoming : newRequestId();
    rc.put(REQUEST_ID, requestId);
    rc.response().putHeader("X-Request-ID", requestId);
    rc.addBodyEndHandler(done -> {
      Meters.recordHttp(rc.response().getStatusCode(), System.nanoTime() - start);
      if (rc.get(ApiRouter.OPERATION) instanceof io.vertx.openapi.contract.Operation operation) {
        Meters.recordOperation(operation.getHttpMethod().name() + " " + operation.getOpenAPIPath(),
            System.nanoTime() - start);
      }
      if (!LOG.isInfoEnabled()) {
        return;
      }
      JsonObject line = new JsonObject()
          .put("request_id", requestId)
          .put("method", rc.request().method().name())
          .put("path", rc.request().path())
          .put("status", rc.response().getStatusCode())
          .put("latency_ms", (System.nanoTime() - start) / 1_000_000.0)
          .put("user_id", rc.get(USER_ID))
          .put("remote", rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress());
      LOG.info(line.encode());
    });
    rc.next();
  }

  /**
   * A random version-4 UUID from the thread's generator: a request id correlates log lines and needs no secrecy, and
   * {@link UUID#randomUUID()} draws from the shared {@code SecureRandom} on every request.
   */
  static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
