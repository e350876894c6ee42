package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;

/**
 * Direct-message conversations between two users. A conversation is a channel {@code dm_<a>_<b>} of the channels
 * service whose messages the messages service keeps, so this verticle owns no collection: it orchestrates, and
 * pushes each direct message to both users' personal addresses.
 */
public class DmsVerticle extends ServiceVerticle {

  /** It owns no collection. */
  @Override
  protected boolean needsStoreToStart() {
    return false;
  }

  @Override
  protected String address() {
    return Addresses.DMS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    DmsApi.register(dispatcher, new ConversationService(new ConversationStore(services), new UserDirectory(services),
        new DmEvents(vertx.eventBus(), services)));
    return Future.succeededFuture();
  }
}
