package com.connectbest.chat.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An estimate from the {@code COST_MODEL} price table, never a bill: compute = live nodes × node_hourly × 24 per day;
 * object storage = stored GiB × storage_gb_monthly / 30 per day; monthly = daily × 30. The trend compares the node
 * count now with the oldest samples held (more: increasing, fewer: decreasing). One documented optimisation: when the
 * cluster's mean CPU over the last hour is under {@code scale_in_cpu_percent} with more than one node, removing one
 * node saves its monthly compute.
 */
record CostModel(String currency, double nodeHourly, double storageGbMonthly, double scaleInCpuPercent) {

  static final double GIB = 1024.0 * 1024 * 1024;

  static CostModel parse(Object value) {
    JsonObject model = value instanceof JsonObject json ? json : new JsonObject();
    return new CostModel(model.getString("currency", "USD"), model.getDouble("node_hourly", 0.0416),
        model.getDouble("storage_gb_monthly", 0.023), model.getDouble("scale_in_cpu_percent", 20.0));
  }

  /**
   * @param nodes       live nodes now
   * @param nodesBefore nodes in the oldest samples held
   * @param storedBytes bytes in object storage
   * @param hourCpu     the cluster's mean CPU over the last hour, or null without data
   */
  JsonObject estimate(int nodes, int nodesBefore, long storedBytes, Double hourCpu) {
    double compute = nodes * nodeHourly * 24;
    double storage = storedBytes / GIB * storageGbMonthly / 30;
    double daily = compute + storage;
    JsonArray optimization = new JsonArray();
    if (nodes > 1 && hourCpu != null && hourCpu < scaleInCpuPercent) {
      optimization.add(new JsonObject().put("type", "Scale in")
          .put("description", String.format(java.util.Locale.ROOT,
              "Mean CPU over the last hour was %.1f%% on %d nodes; one node fewer would likely suffice", hourCpu, nodes))
          .put("potentialSavings", round(nodeHourly * 24 * 30)));
    }
    return new JsonObject()
        .put("dailyCost", round(daily))
        .put("monthlyCost", round(daily * 30))
        .put("costTrend", nodes > nodesBefore ? "increasing" : nodes < nodesBefore ? "decreasing" : "stable")
        .put("topServices", new JsonArray()
            .add(new JsonObject().put("service", "Compute (" + nodes + " node" + (nodes == 1 ? "" : "s") + ")")
                .put("cost", round(compute)))
            .add(new JsonObject().put("service", "Object storage").put("cost", round(storage))))
        .put("optimization", optimization)
        .put("estimate", true)
        .put("currency", currency);
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
