package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.json.JsonObject;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Routes the requests arriving on one service address to the handler of their action, and turns every
 * outcome into a reply: a {@link ServiceReply}, or a failure whose code is the HTTP status and whose message
 * is the standard error body. Unknown actions are answered 501, unexpected exceptions 500 without internals.
 */
public final class ServiceDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceDispatcher.class);

  private final Map<String, Function<ServiceRequest, Future<ServiceReply>>> actions = new HashMap<>();
  private final StoreBreaker breaker = new StoreBreaker(3, 2_000);
  /** Requests taken but not yet answered; confined to the owning verticle's event loop. */
  private int inFlight;
  /** Checks principals against the gateways' public keys; null: taken as sent (a cluster node without keys). */
  private EnvelopeSignature.Verifier verifier;

  /** Acts on a principal only when one of these keys signed it for the action (see {@link EnvelopeSignature}). */
  public ServiceDispatcher verifyingWith(List<PublicKey> keys) {
    verifier = keys.isEmpty() ? null : new EnvelopeSignature.Verifier(keys);
    return this;
  }

  public ServiceDispatcher on(String action, Function<ServiceRequest, Future<ServiceReply>> handler) {
    if (actions.putIfAbsent(action, handler) != null) {
      throw new IllegalStateException("duplicate action " + action);
    }
    return this;
  }

  public Set<String> actions() {
    return Set.copyOf(actions.keySet());
  }

  public Future<MessageConsumer<JsonObject>> register(EventBus bus, String address) {
    UnsharedJsonCodec.registerOn(bus);
    MessageConsumer<JsonObject> consumer = bus.consumer(address, this::handle);
    return consumer.completion().map(consumer);
  }

  private void handle(Message<JsonObject> message) {
    String action = message.headers().get(ServiceRequest.ACTION_HEADER);
    Function<ServiceRequest, Future<ServiceReply>> handler = action == null ? null : actions.get(action);
    if (handler == null) {
      fail(message, ApiException.notImplemented("Operation '" + action + "' is not implemented yet"));
      return;
    }
    if (breaker.open()) {
      fail(message, ApiException.unavailable("The data store is unavailable right now; retry shortly"));
      return;
    }
    Future<ServiceReply> outcome;
    try {
      ServiceRequest request = ServiceRequest.fromJson(action, message.body() == null ? new JsonObject() : message.body());
      if (verifier != null && request.principal() != null && !signed(request)) {
        fail(message, ApiException.forbidden("The request's principal is not signed by a gateway"));
        return;
      }
      outcome = handler.apply(request);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    inFlight++;
    outcome.onComplete(done -> {
      inFlight--;
      breaker.record(done.cause());
      if (done.succeeded()) {
        ServiceReply reply = done.result();
        if (reply.unshared() && ServiceClient.PROCESS_ID.equals(message.headers().get(ServiceRequest.ORIGIN_HEADER))) {
          message.reply(reply.toJson(), UnsharedJsonCodec.DELIVERY);
        } else {
          message.reply(reply.toJson());
        }
      } else {
        fail(message, done.cause());
      }
    });
  }

  /** Whether a gateway signed the request's principal for this action; counts and logs a refusal. */
  private boolean signed(ServiceRequest request) {
    try {
      verifier.verify(request.principal().signature(), request.action(), request.principal(),
          System.currentTimeMillis());
      return true;
    } catch (EnvelopeSignature.Rejected rejected) {
      Meters.count(Meters.ENVELOPES_REFUSED);
      Meters.count(Meters.REQUESTS_BLOCKED);
      LOG.warn("Refused {} for principal {}: {}", request.action(), loggable(request.principal().id()),
          rejected.getMessage());
      return false;
    }
  }

  /** An unverified id as it may appear in a log line: short, and no control characters. */
  private static String loggable(String id) {
    return id == null ? null : id.substring(0, Math.min(id.length(), 64)).replaceAll("[^\\w@.+-]", "?");
  }

  /** Requests taken but not yet answered. */
  public int inFlight() {
    return inFlight;
  }

  private static void fail(Message<JsonObject> message, Throwable cause) {
    ApiException error = ServiceClient.toApiException(cause);
    if (error.status() >= 500 && error.code() == ErrorCode.INTERNAL_ERROR) {
      LOG.error("Action " + message.headers().get(ServiceRequest.ACTION_HEADER) + " failed", cause);
    }
    message.fail(error.status(), error.toJson().encode());
  }
}
