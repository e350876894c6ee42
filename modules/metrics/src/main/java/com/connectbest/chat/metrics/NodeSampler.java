package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Meters;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Reads this process's figures: CPU and heap from the JVM, the rest from the domain meters, as deltas. */
final class NodeSampler {

  private final String nodeId;
  private long lastRequests;
  private long lastErrors;
  private double lastLatencyMs;

  NodeSampler(String nodeId) {
    this.nodeId = nodeId;
    Sample baseline = sample(System.currentTimeMillis());
    lastRequests = baseline.requests();
    lastErrors = baseline.errors();
    lastLatencyMs = baseline.latencyMs();
  }

  Sample next(long now) {
    Sample totals = sample(now);
    Sample delta = new Sample(nodeId, now, totals.cpu(), totals.memory(), totals.connections(),
        totals.requests() - lastRequests, totals.errors() - lastErrors, totals.latencyMs() - lastLatencyMs,
        totals.authFailures(), totals.blocked(), totals.rateLimited(), totals.bridgeDenied());
    lastRequests = totals.requests();
    lastErrors = totals.errors();
    lastLatencyMs = totals.latencyMs();
    return delta;
  }

  /** Cumulative figures since the process started. */
  private Sample sample(long now) {
    Collection<Timer> timers = Meters.registry().find(Meters.HTTP_REQUESTS).timers();
    long requests = timers.stream().mapToLong(Timer::count).sum();
    long errors = timers.stream().filter(t -> "server_error".equals(t.getId().getTag("outcome")))
        .mapToLong(Timer::count).sum();
    double latency = timers.stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
    return new Sample(nodeId, now, cpuPercent(), heapPercent(), Meters.sockJsSessions().get(), requests, errors,
        latency, (long) Meters.counted(Meters.AUTH_FAILURES), (long) Meters.counted(Meters.REQUESTS_BLOCKED),
        (long) Meters.counted(Meters.RATE_LIMITED), (long) Meters.counted(Meters.BRIDGE_DENIED));
  }

  private static double cpuPercent() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      return load < 0 ? 0 : load * 100;
    }
    return 0;
  }

  private static double heapPercent() {
    Runtime runtime = Runtime.getRuntime();
    return 100.0 * (runtime.totalMemory() - runtime.freeMemory()) / runtime.maxMemory();
  }
}
