package com.connectbest.chat.app;

import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;

/**
 * The node's own hold on the store clients its services share ({@link MongoClients#shared}, {@link
 * MongoClients#staged}), so that their driver closes once, after every service has stopped and before Vert.x does.
 *
 * <p>Why: vertx-mongo-client closes a shared client's driver when its last user goes, as a blocking task queued on
 * that user's context, and nobody waits for it. When the last users were services undeployed by {@code Vertx.close},
 * that task ran on a context being closed (which interrupts its running task) while Vert.x shut its worker pool and
 * event loops down: the second driver's close was rejected ({@code RejectedExecutionException} from a worker, seen
 * in CI in GracefulShutdownIT), or a half-closed driver's monitor wrote to a stopped event loop. Held here, the last
 * user is this class, on a context no undeploy closes, and {@link #close} ends only once the drivers are closed.
 */
final class NodeStoreClients {

  private final Context context;
  private final List<MongoClient> clients;
  private Future<Void> closed;

  private NodeStoreClients(Context context, List<MongoClient> clients) {
    this.context = context;
    this.clients = clients;
  }

  /** Opens the node's references, on a context of their own; call it before the services deploy. */
  static Future<NodeStoreClients> hold(Vertx vertx, Settings settings) {
    Context context = vertx.getOrCreateContext();
    Promise<NodeStoreClients> held = Promise.promise();
    context.runOnContext(v -> held.complete(new NodeStoreClients(context,
        List.of(MongoClients.shared(vertx, settings), MongoClients.staged(vertx, settings)))));
    return ChatApplication.detached(held.future());
  }

  /**
   * Releases the node's references; once every service is undeployed they are the last, so the drivers close now.
   * Each close queues the driver's shutdown as an ordered blocking task of this context, so an ordered task queued
   * after them completes only when they have.
   */
  synchronized Future<Void> close() {
    if (closed == null) {
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> {
        clients.forEach(MongoClient::close);
        context.<Void>executeBlocking(() -> null, true).onComplete(done);
      });
      closed = ChatApplication.detached(done.future());
    }
    return closed;
  }
}
