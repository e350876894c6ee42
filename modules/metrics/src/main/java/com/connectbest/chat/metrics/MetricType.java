package com.connectbest.chat.metrics;

import com.connectbest.chat.common.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How each series is computed from the samples of one time bucket, all nodes together. Null means "no data".
 * cpu, memory: mean percent. connections: per node the mean, summed over nodes. latency: total time / requests (ms).
 * errors: 5xx / requests (percent; 0 when there were no requests).
 */
enum MetricType {
  CPU(samples -> mean(samples, Sample::cpu)),
  MEMORY(samples -> mean(samples, Sample::memory)),
  CONNECTIONS(MetricType::connections),
  LATENCY(samples -> {
    long requests = samples.stream().mapToLong(Sample::requests).sum();
    return requests == 0 ? null : samples.stream().mapToDouble(Sample::latencyMs).sum() / requests;
  }),
  ERRORS(samples -> {
    long requests = samples.stream().mapToLong(Sample::requests).sum();
    return samples.isEmpty() ? null
        : requests == 0 ? 0.0 : 100.0 * samples.stream().mapToLong(Sample::errors).sum() / requests;
  });

  private final Function<List<Sample>, Double> value;

  MetricType(Function<List<Sample>, Double> value) {
    this.value = value;
  }

  Double of(List<Sample> samples) {
    return samples.isEmpty() ? null : value.apply(samples);
  }

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static MetricType parse(Object value) {
    for (MetricType type : values()) {
      if (type.id().equals(value)) {
        return type;
      }
    }
    throw ApiException.validation("Unknown metric type", new JsonObject().put("field", "metricType")
        .put("allowed", List.of("cpu", "memory", "connections", "latency", "errors")));
  }

  private static Double mean(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> field) {
    return samples.stream().mapToDouble(field).average().orElse(Double.NaN);
  }

  private static Double connections(List<Sample> samples) {
    Map<String, Double> perNode = samples.stream().collect(Collectors.groupingBy(Sample::nodeId,
        Collectors.averagingDouble(Sample::connections)));
    return perNode.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
