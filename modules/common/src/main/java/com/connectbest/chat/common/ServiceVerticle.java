package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Base of every service verticle: reads its settings, lets the subclass wire its actions, then starts
 * consuming its service address only once it is ready (so the gateway sees 503 rather than half a service).
 */
public abstract class ServiceVerticle extends VerticleBase {

  protected Settings settings;
  protected ServiceClient services;

  protected abstract String address();

  /** Creates stores and indexes and registers the actions this service answers. */
  protected abstract Future<?> configure(ServiceDispatcher dispatcher);

  private MongoClient mongo;
  private MongoClient staged;
  private ServiceDispatcher dispatcher;
  private MessageConsumer<JsonObject> consumer;

  /** The node's shared MongoDB pool; a service that uses it is ready only while the store answers a ping. */
  protected MongoClient mongo() {
    if (mongo == null) {
      mongo = MongoClients.shared(vertx, settings);
    }
    return mongo;
  }

  /** The node's pool for staged writes ({@link MongoClients#staged}): each use must end in a durable write. */
  protected MongoClient stagedMongo() {
    if (staged == null) {
      staged = MongoClients.staged(vertx, settings);
    }
    return staged;
  }

  /**
   * Whether this service needs its store before it can start (indexes, initial reads). Services that only talk to
   * others, or use the store for reports only, say no, and start even while the store is down.
   */
  protected boolean needsStoreToStart() {
    return true;
  }

  /** Whether this service can serve now; asked by readiness checks through {@code ping}. */
  protected Future<?> ready() {
    return mongo == null ? Future.succeededFuture() : MongoClients.ping(mongo);
  }

  @Override
  public Future<?> start() {
    settings = new Settings(config());
    services = new ServiceClient(vertx.eventBus(), settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS));
    dispatcher = new ServiceDispatcher()
        .on(InternalActions.PING, request -> ready().map(ok -> ServiceReply.ok(new JsonObject())));
    // The first store contact waits (up to STARTUP_TIMEOUT_SECONDS) for a store that is slow to answer at start,
    // rather than failing the whole node after one MONGODB_TIMEOUT_MS.
    Future<Void> store = needsStoreToStart()
        ? MongoClients.awaitReachable(vertx, mongo(), settings, getClass().getSimpleName())
        : Future.succeededFuture();
    // Services check every principal's gateway signature (see EnvelopeSignature); keys are read off the event loop.
    Future<Void> keys = EnvelopeKeys.load(vertx, settings)
        .map(loaded -> {
          dispatcher.verifyingWith(loaded.verifying());
          return null;
        });
    return keys.compose(loaded -> store).compose(reachable -> configure(dispatcher))
        .compose(ready -> dispatcher.register(vertx.eventBus(), address()))
        .onSuccess(registered -> consumer = registered);
  }

  /**
   * Stops taking requests (in a cluster they go to this service on other nodes), then lets the ones already taken
   * finish, for at most SHUTDOWN_GRACE_SECONDS, before the verticle's resources are released.
   */
  @Override
  public Future<?> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    long deadline = System.currentTimeMillis() + settings.number("SHUTDOWN_GRACE_SECONDS", 10) * 1000;
    Promise<Boolean> idle = Promise.promise();
    consumer.unregister().onComplete(unregistered -> whenIdle(deadline, idle));
    return idle.future().compose(this::stopped);
  }

  /**
   * Called at a stop once no request is in flight ({@code drained}) or the grace period ran out with some still
   * running, before the verticle's resources (its store clients) are released.
   */
  protected Future<Void> stopped(boolean drained) {
    return Future.succeededFuture();
  }

  private void whenIdle(long deadline, Promise<Boolean> idle) {
    if (dispatcher.inFlight() == 0) {
      idle.complete(true);
    } else if (System.currentTimeMillis() >= deadline) {
      idle.complete(false);
    } else {
      vertx.setTimer(20, id -> whenIdle(deadline, idle));
    }
  }
}
