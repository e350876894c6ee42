package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;

/**
 * Health and operational figures.
 *
 * <p>Implemented in a later issue; until then the dispatcher answers every operation 501.
 */
public class MetricsVerticle extends ServiceVerticle {

  @Override
  protected String address() {
    return Addresses.METRICS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    return Future.succeededFuture();
  }
}
