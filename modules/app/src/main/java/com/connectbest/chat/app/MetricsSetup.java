package com.connectbest.chat.app;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import com.connectbest.chat.common.Addresses;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.regex.Pattern;

/**
 * One Prometheus registry per process: Vert.x reports HTTP server, event-bus, pool and JVM metrics to it, and it
 * joins Micrometer's global registry, where the modules record their domain meters.
 */
final class MetricsSetup {

  private static PrometheusMeterRegistry registry;

  private MetricsSetup() {
  }

  static synchronized PrometheusMeterRegistry registry() {
    if (registry == null) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Metrics.addRegistry(registry);
    }
    return registry;
  }

  static VertxBuilder builder(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // The path label is left out on purpose: ids in paths would make one time series per message.
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_FAILURE,
            Label.POOL_TYPE, Label.POOL_NAME));
    // Likewise one series per channel, user or upload address would grow without bound: they are counted by kind.
    for (String kind : new String[] {"chat.channel", "chat.user", Addresses.UPLOADS + ".session"}) {
      metrics.addLabelMatch(new Match().setDomain(MetricsDomain.EVENT_BUS).setLabel(Label.EB_ADDRESS.toString())
          .setType(MatchType.REGEX).setValue(Pattern.quote(kind + ".") + ".+").setAlias(kind + ".*"));
    }
    return io.vertx.core.Vertx.builder().with(options.setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry()));
  }
}
