package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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

  /** The node's shared MongoDB pool; a service that uses it is ready only while the store answers a ping. */
  protected MongoClient mongo() {
    if (mongo == null) {
      mongo = MongoClients.shared(vertx, settings);
    }
    return mongo;
  }

  /** Whether this service can serve now; asked by readiness checks through {@code ping}. */
  protected Future<?> ready() {
    return mongo == null ? Future.succeededFuture() : MongoClients.ping(mongo);
  }

  @Override
  public Future<?> start() {
    settings = new Settings(config());
    services = new ServiceClient(vertx.eventBus(), settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS));
    ServiceDispatcher dispatcher = new ServiceDispatcher()
        .on(InternalActions.PING, request -> ready().map(ok -> ServiceReply.ok(new JsonObject())));
    return configure(dispatcher).compose(ready -> dispatcher.register(vertx.eventBus(), address()));
  }
}
