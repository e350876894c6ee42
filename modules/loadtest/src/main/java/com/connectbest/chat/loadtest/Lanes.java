package com.connectbest.chat.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One event-loop context per client thread. Work started on a lane stays on its event loop, so spreading sockets
 * over lanes spreads their frames over the client's threads (calls from the main thread would all share one).
 */
final class Lanes {

  private final List<Context> contexts;

  private Lanes(List<Context> contexts) {
    this.contexts = contexts;
  }

  static Lanes create(Vertx vertx, int count) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(count)).await();
    return new Lanes(List.copyOf(contexts));
  }

  int size() {
    return contexts.size();
  }

  Context get(int index) {
    return contexts.get(Math.floorMod(index, contexts.size()));
  }

  /** Runs {@code work} on lane {@code index}; the result completes there too. */
  <T> Future<T> on(int index, Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    get(index).runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
