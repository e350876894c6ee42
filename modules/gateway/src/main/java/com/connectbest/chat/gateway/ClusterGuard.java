package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.NodeClusterState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * What a gateway does while its node is cut off from the cluster ({@link NodeClusterState}): every request gets the
 * standard 503 with {@code Retry-After} (a load balancer moves on, a client retries elsewhere), {@code /health/ready}
 * says DOWN, and when the cut-off starts the bridge sockets are closed with {@link #CLOSE_STATUS} so that clients
 * reconnect to a healthy node and catch up over REST instead of waiting on a socket that receives nothing.
 * {@code /health/live}, {@code /metrics} and {@code /api/metrics/health} (which reports the cut-off) stay open.
 */
final class ClusterGuard {

  /** WebSocket close status 1013, "try again later". */
  static final int CLOSE_STATUS = 1013;
  static final String CLOSE_REASON = "try again later: this node lost the cluster";
  static final int RETRY_AFTER_SECONDS = 5;

  private volatile NodeClusterState state;

  /**
   * {@code onCutOff} runs on the caller's context each time the node becomes cut off, {@code onMemberLeft} each time
   * the node sees fewer members than before.
   */
  ClusterGuard(Vertx vertx, Consumer<NodeClusterState> onCutOff, Runnable onMemberLeft) {
    this.state = NodeClusterState.current(vertx);
    // unregistered with the verticle that created the guard
    vertx.eventBus().<JsonObject>localConsumer(Addresses.NODE_CLUSTER_STATE, message -> {
      NodeClusterState next = NodeClusterState.fromJson(message.body());
      boolean lost = state.connected() && !next.connected();
      boolean left = next.members() < state.members();
      state = next;
      if (lost) {
        onCutOff.accept(next);
      }
      if (left) {
        onMemberLeft.run();
      }
    });
  }

  boolean cutOff() {
    return !state.connected();
  }

  void handle(RoutingContext rc) {
    NodeClusterState current = state;
    String path = rc.normalizedPath();
    if (current.connected() || path.equals("/health/live") || path.equals("/metrics")
        || path.equals("/api/metrics/health")) {
      rc.next();
      return;
    }
    JsonObject details = new JsonObject().put("retry_after_seconds", RETRY_AFTER_SECONDS)
        .put("members", current.members()).put("expected", current.expected());
    if (path.equals("/health/ready")) {
      rc.response().setStatusCode(503).putHeader("Content-Type", "application/json;charset=UTF-8")
          .putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
          .end(new JsonObject().put("status", "DOWN").put("outcome", "DOWN").put("checks", new JsonArray()
              .add(new JsonObject().put("id", "cluster").put("status", "DOWN")
                  .put("data", details.copy().put("reason", current.reason())))).encode());
      return;
    }
    ErrorResponses.write(rc, new ApiException(503, ErrorCode.SERVICE_UNAVAILABLE,
        "This node is cut off from the cluster (" + current.reason() + "); retry, another node may answer",
        details));
  }
}
