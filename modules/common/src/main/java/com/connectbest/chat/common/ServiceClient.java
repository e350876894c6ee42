package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.PrivateKey;

/** Sends requests to service addresses and translates every failure into an {@link ApiException}. */
public final class ServiceClient {

  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  /** This process, in the {@value ServiceRequest#ORIGIN_HEADER} header of every request it sends. */
  public static final String PROCESS_ID = java.util.UUID.randomUUID().toString();

  /** Sees every request a client sends, and may settle it early (see the gateway's fail-fast on node loss). */
  public interface InFlight {
    Future<ServiceReply> track(String address, Future<ServiceReply> reply);
  }

  private final EventBus bus;
  private final long timeoutMs;
  private InFlight inFlight;
  /** Gateways only: signs the principal of every request sent (see {@link EnvelopeSignature}); else null. */
  private final EnvelopeSignature.Signer signer;

  public ServiceClient(EventBus bus, long timeoutMs) {
    this(bus, timeoutMs, null);
  }

  private ServiceClient(EventBus bus, long timeoutMs, EnvelopeSignature.Signer signer) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
    this.signer = signer;
  }

  /** A client that signs each request's principal (a gateway's); without a key, the same client. */
  public ServiceClient signingWith(PrivateKey key, long ttlSeconds) {
    return key == null ? this : new ServiceClient(bus, timeoutMs, new EnvelopeSignature.Signer(key, ttlSeconds));
  }

  public ServiceClient(EventBus bus) {
    this(bus, DEFAULT_TIMEOUT_MS);
  }

  /** The request with its principal signed for its action, when this client signs; else the request as is. */
  public ServiceRequest sign(ServiceRequest request) {
    Principal caller = request.principal();
    if (signer == null || caller == null) {
      return request;
    }
    return new ServiceRequest(request.action(), caller.withSignature(signer.sign(request.action(), caller,
        System.currentTimeMillis())),
        request.path(), request.query(), request.body(), request.requestId(), request.idempotencyKey());
  }

  /** Lets {@code tracker} see (and settle early) every request sent from now on. */
  public ServiceClient tracked(InFlight tracker) {
    this.inFlight = tracker;
    return this;
  }

  public Future<ServiceReply> send(String address, ServiceRequest request) {
    request = sign(request);
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMs)
        .addHeader(ServiceRequest.ACTION_HEADER, request.action())
        .addHeader(ServiceRequest.ORIGIN_HEADER, PROCESS_ID);
    Future<ServiceReply> reply = bus.<JsonObject>request(address, request.toJson(), options)
        .map(Message::body)
        .map(ServiceReply::fromJson)
        .recover(err -> Future.failedFuture(toApiException(err)));
    return inFlight == null ? reply : inFlight.track(address, reply);
  }

  /** An internal, service-to-service call; resolves to the reply's JSON body. */
  public Future<JsonObject> call(String address, String action, JsonObject payload) {
    return send(address, ServiceRequest.internal(action, payload))
        .map(reply -> reply.body() instanceof JsonObject object ? object : new JsonObject());
  }

  public static ApiException toApiException(Throwable error) {
    if (error instanceof ApiException api) {
      return api;
    }
    if (MongoDocs.isUnavailable(error)) {
      return ApiException.unavailable("The data store is unavailable right now; retry shortly");
    }
    if (error instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return ApiException.unavailable("The service is not available right now; retry shortly");
        case TIMEOUT:
          return new ApiException(ErrorCode.GATEWAY_TIMEOUT, "The service did not answer in time");
        default:
          int status = reply.failureCode();
          if (status >= 400 && status < 600 && reply.getMessage() != null) {
            try {
              return ApiException.fromJson(status, new JsonObject(reply.getMessage()));
            } catch (DecodeException ignored) {
              return new ApiException(status, ErrorCode.forStatus(status), "Request failed", null);
            }
          }
      }
    }
    return ApiException.internal();
  }
}
