package com.connectbest.chat.dms;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;

/**
 * Direct-message conversations between two users.
 *
 * <p>Implemented in a later issue; until then the dispatcher answers every operation 501.
 */
public class DmsVerticle extends ServiceVerticle {

  @Override
  protected String address() {
    return Addresses.DMS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    return Future.succeededFuture();
  }
}
