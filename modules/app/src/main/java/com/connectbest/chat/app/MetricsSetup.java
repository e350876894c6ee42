package com.connectbest.chat.app;

import com.connectbest.chat.common.Addresses;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * One Prometheus registry per process: Vert.x reports HTTP server, event-bus, pool and JVM metrics to it, and it
 * joins Micrometer's global registry, where the modules record their domain meters.
 */
final class MetricsSetup {

  private static final String[] KINDS = {"chat.channel.", "chat.user.", Addresses.UPLOADS + ".session."};
  private static PrometheusMeterRegistry registry;

  private MetricsSetup() {
  }

  static synchronized PrometheusMeterRegistry registry() {
    if (registry == null) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // Before any meter exists (Micrometer applies filters only to meters registered after them): one series per
      // channel, user or upload-session address would grow without bound, so those are counted by kind.
      registry.config().meterFilter(MeterFilter.replaceTagValues(Label.EB_ADDRESS.toString(), MetricsSetup::kind));
      Metrics.addRegistry(registry);
    }
    return registry;
  }

  private static String kind(String address) {
    for (String kind : KINDS) {
      if (address.startsWith(kind)) {
        return kind + "*";
      }
    }
    return address;
  }

  static VertxBuilder builder(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // The path label is left out on purpose: ids in paths would make one time series per message.
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_FAILURE,
            Label.POOL_TYPE, Label.POOL_NAME));
    return io.vertx.core.Vertx.builder().with(options.setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry()));
  }
}
