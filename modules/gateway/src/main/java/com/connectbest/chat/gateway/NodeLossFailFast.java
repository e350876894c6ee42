package com.connectbest.chat.gateway;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fails fast the requests whose service died with its node. A request already written to a node that then dies gets
 * no reply, and Vert.x does not fail it (a failed write to a closed cluster connection is not reported to the
 * requester), so it would wait the whole SERVICE_TIMEOUT_MS for a 504. When a member leaves the cluster, each
 * address that has requests in flight is pinged: if no instance of that service is left (NO_HANDLERS), the requests
 * that were in flight at that moment are answered 503 at once, their outcome marked unknown (the dead node may have
 * done the work). Requests sent later get NO_HANDLERS from Vert.x itself, also a 503. When another instance is left,
 * nothing is failed: those requests may still be answered, and the others time out as before.
 *
 * <p>Used on one gateway instance's event loop only (its requests and the cluster-state events both run there).
 */
final class NodeLossFailFast implements ServiceClient.InFlight {

  /** Vert.x may remove the dead node's subscriptions a moment after the member-left event: ask a few times. */
  static final int PING_ATTEMPTS = 4;
  static final long PING_TIMEOUT_MS = 400;

  private final EventBus bus;
  private final Map<String, Set<Promise<ServiceReply>>> inFlight = new HashMap<>();

  NodeLossFailFast(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<ServiceReply> track(String address, Future<ServiceReply> reply) {
    Promise<ServiceReply> promise = Promise.promise();
    Set<Promise<ServiceReply>> pending = inFlight.computeIfAbsent(address, key -> new LinkedHashSet<>());
    pending.add(promise);
    reply.onComplete(done -> {
      Set<Promise<ServiceReply>> current = inFlight.get(address);
      if (current != null && current.remove(promise) && current.isEmpty()) {
        inFlight.remove(address);
      }
      if (done.succeeded()) {
        promise.tryComplete(done.result());
      } else {
        promise.tryFail(done.cause());
      }
    });
    return promise.future();
  }

  /** A member left the cluster: fail what was in flight to services that have no instance left. */
  void memberLeft() {
    for (Map.Entry<String, Set<Promise<ServiceReply>>> entry : new HashMap<>(inFlight).entrySet()) {
      List<Promise<ServiceReply>> snapshot = new ArrayList<>(entry.getValue());
      probe(entry.getKey(), snapshot, PING_ATTEMPTS);
    }
  }

  /** Requests in flight, for tests. */
  int inFlight() {
    return inFlight.values().stream().mapToInt(Set::size).sum();
  }

  private void probe(String address, List<Promise<ServiceReply>> snapshot, int attemptsLeft) {
    if (snapshot.stream().allMatch(promise -> promise.future().isComplete())) {
      return;
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS)
        .addHeader(ServiceRequest.ACTION_HEADER, InternalActions.PING);
    bus.request(address, ServiceRequest.internal(InternalActions.PING, new JsonObject()).toJson(), options)
        .onSuccess(alive -> { }) // another instance answers: leave the requests to it or to their timeout
        .onFailure(error -> {
          ReplyFailure failure = error instanceof ReplyException reply ? reply.failureType() : null;
          if (failure == ReplyFailure.NO_HANDLERS) {
            ApiException gone = new ApiException(503, ErrorCode.SERVICE_UNAVAILABLE,
                "The service's node left the cluster while handling this request; the outcome is unknown. "
                    + "Retry shortly", new JsonObject().put("outcome", "unknown"));
            snapshot.forEach(promise -> promise.tryFail(gone));
          } else if (failure == ReplyFailure.TIMEOUT && attemptsLeft > 1) {
            probe(address, snapshot, attemptsLeft - 1); // the dead node's subscription is still listed
          }
        });
  }
}
