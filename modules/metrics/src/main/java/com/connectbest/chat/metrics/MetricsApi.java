package com.connectbest.chat.metrics;

import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.Future;

/** The metrics service's event-bus API: health is public, every other figure is for site admins. */
final class MetricsApi {

  private MetricsApi() {
  }

  static void register(ServiceDispatcher dispatcher, MetricsService metrics, DependencyHealth health,
                       LogsInsights logs) {
    dispatcher
        .on("getHealth", request -> health(health))
        .on("getApiHealth", request -> health(health))
        .on("getLogsInsights", request -> {
          request.requireAdmin();
          return logs.report().map(ServiceReply::ok);
        })
        .on("getSystemMetrics", request -> {
          request.requireAdmin();
          return metrics.system().map(ServiceReply::ok);
        })
        .on("getTimeseries", request -> {
          request.requireAdmin();
          return Future.succeededFuture(ServiceReply.ok(metrics.timeseries(request.pathParam("metricType"),
              request.query())));
        })
        .on("getAlarms", request -> {
          request.requireAdmin();
          return Future.succeededFuture(ServiceReply.ok(metrics.alarms()));
        })
        .on("getCosts", request -> {
          request.requireAdmin();
          return metrics.costs().map(ServiceReply::ok);
        })
        .on("getSecurityMetrics", request -> {
          request.requireAdmin();
          return Future.succeededFuture(ServiceReply.ok(metrics.security()));
        });
  }

  /** The public health check; 503 while the store is down. */
  private static Future<ServiceReply> health(DependencyHealth health) {
    return health.report().map(report -> new ServiceReply(
        "unhealthy".equals(report.getString("status")) ? 503 : 200, report, null));
  }
}
