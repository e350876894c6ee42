package com.connectbest.chat.loadtest;

import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code growth}: does each hot operation stay flat as the store grows? Sets up a measured user (see
 * {@link GrowthSetup}), then for each stage of {@code --stages} fills the store up to that many messages through the
 * public API ({@link GrowthFill}) and measures every hot operation at a fixed concurrency ({@link GrowthProbe}).
 * {@link GrowthReport} compares each stage with the first; {@code --max-growth 1.5} makes a larger ratio exit 3.
 */
final class GrowthScenario {

  private GrowthScenario() {
  }

  static int run(Options options, PrintStream out) throws IOException {
    GrowthPlan plan = GrowthPlan.from(options);
    JsonObject results;
    try (Harness harness = new Harness(options.withDefault("prefix", "gr"), out)) {
      results = run(harness, plan);
    }
    return GrowthReport.finish(results, options, out);
  }

  static JsonObject run(Harness harness, GrowthPlan plan) {
    Instant startedAt = Instant.now();
    long timeoutMs = harness.options.duration("timeout", "10s").toMillis();
    WebClient web = WebClient.create(harness.vertx, new WebClientOptions().setKeepAlive(true)
            .setConnectTimeout((int) timeoutMs).setUserAgent("connectbest-loadtest").setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(harness.options.integer("pool-size", 256))
            .setEventLoopSize(harness.lanes.size()).setMaxWaitQueueSize(-1));
    GrowthApi api = new GrowthApi(web, harness.apiFor(0).target(), timeoutMs);
    // messages already in the store (an earlier fill of the same store), counted towards the stages
    AtomicLong stored = new AtomicLong(harness.options.integer("stored-before", 0));
    GrowthSetup.World world = new GrowthSetup(harness, plan, api, stored).build();
    harness.say(String.format(Locale.ROOT, "set-up done: %,d messages stored by this run", stored.get()));
    GrowthFill fill = new GrowthFill(harness, plan, api, world, stored);
    GrowthProbe probe = new GrowthProbe(harness, plan, stored);
    List<GrowthProbe.Op> all = GrowthProbe.ops(harness, api, world, stored);
    List<String> only = List.of(harness.options.string("ops", "").split(","));
    List<GrowthProbe.Op> ops = all.stream().filter(op -> only.contains("") || only.contains(op.name())).toList();
    JsonArray stages = new JsonArray();
    for (long stage : plan.stages()) {
      JsonObject filled = fill.fillTo(stage);
      JsonObject result = new JsonObject().put("target", stage).put("stored_messages", stored.get())
          .put("filler_memberships", fill.fillerMemberships())
          .put("memberships", fill.fillerMemberships() + baseMemberships(plan)).put("fill", filled)
          .put("load_average_before", loadAverage());
      harness.say(String.format(Locale.ROOT, "stage %,d: %,d messages, %,d memberships stored; settling, then measuring %d "
              + "operations (%s warm-up, %s or %s requests each, %d in flight)...", stage, stored.get(),
          result.getLong("memberships"), ops.size(), Durations.format(plan.warmUp()),
          Durations.format(plan.duration()), plan.requests() > 0 ? String.valueOf(plan.requests()) : "unlimited",
          plan.concurrency()));
      JsonObject measured = new JsonObject();
      double settled = probe.settle(all.get(1), plan.settle());
      result.put("settle_seconds_after_fill", settled);
      for (GrowthProbe.Op op : ops) {
        JsonObject opResult = probe.measure(op);
        opResult.put("settle_seconds_after", probe.settle(all.get(1), plan.settle()));
        measured.put(op.name(), opResult);
        JsonObject latency = opResult.getJsonObject("latency");
        harness.say(String.format(Locale.ROOT, "  %-10s %8.1f/s  p50 %8.2f ms  p99 %8.2f ms  errors %s  settled %.0f s",
            op.name(), opResult.getDouble("throughput_per_second"), latency.getDouble("p50_ms", 0.0),
            latency.getDouble("p99_ms", 0.0), opResult.getJsonObject("errors").encode(),
            opResult.getDouble("settle_seconds_after")));
      }
      stages.add(result.put("ops", measured).put("stored_messages_after", stored.get())
          .put("load_average_after", loadAverage()));
      if (!filled.getBoolean("complete")) {
        harness.say(String.format(Locale.ROOT, "stage %,d not reached (%,d stored; fill budget %s, fill errors "
                + "%d): later stages skipped", stage, stored.get(), Durations.format(plan.fillBudget()),
            filled.getLong("send_errors") + filled.getLong("join_errors")));
        break;
      }
    }
    JsonObject opsJson = new JsonObject();
    ops.forEach(op -> opsJson.put(op.name(), op.description()));
    JsonArray targets = new JsonArray();
    harness.apis.forEach(chat -> targets.add(chat.target().toString()));
    return new JsonObject()
        .put("tool", "connectbest-loadtest")
        .put("mode", "growth")
        .put("started_at", startedAt.toString())
        .put("targets", targets)
        .put("options", harness.options.toJson())
        .put("setup", new JsonObject().put("channel_tag", world.tag()).put("measured_user", world.measured().email())
            .put("channels", plan.channels()).put("history", plan.history())
            .put("thread_replies", plan.threadReplies()).put("dms", plan.dms())
            .put("filler_users", plan.fillerUsers()).put("filler_channels", plan.fillerChannels())
            .put("setup_messages", plan.setupMessages()).put("concurrency", plan.concurrency())
            .put("warm_up_seconds", plan.warmUp().toMillis() / 1000.0)
            .put("duration_seconds", plan.duration().toMillis() / 1000.0).put("requests", plan.requests())
            .put("ops", opsJson))
        .put("stages", stages);
  }

  /** Memberships outside the filler channels: the measured user's, the peer's and the sender's. */
  static long baseMemberships(GrowthPlan plan) {
    return plan.channels() + 1 + 1;
  }

  /** The 1, 5 and 15 minute load averages of this machine (empty where /proc is missing). */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
