package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;

/**
 * Files in object storage.
 *
 * <p>Implemented in a later issue; until then the dispatcher answers every operation 501.
 */
public class UploadsVerticle extends ServiceVerticle {

  @Override
  protected String address() {
    return Addresses.UPLOADS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    return Future.succeededFuture();
  }
}
