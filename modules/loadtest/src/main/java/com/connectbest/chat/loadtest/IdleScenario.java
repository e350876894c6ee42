package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code idle}: holds {@code --connections} bridge sockets open and probes an HTTP endpoint at a low fixed rate, to
 * show what idle connections cost and that the node still answers. The first {@code --users} × {@code
 * --sockets-per-user} sockets are signed in (a user's sockets are consecutive, so over several targets they land on
 * different nodes, as a user's tabs and devices do) and register on their user address and, with {@code --channels},
 * on their channels; the rest are anonymous. Afterwards each target's {@code chat_cluster_subscriptions} gauge is
 * read from {@code /metrics}: with fan-out hubs it grows with channels × nodes, not with sockets.
 */
final class IdleScenario implements Scenario {

  @Override
  public JsonObject run(Harness harness) throws InterruptedException {
    Options options = harness.options;
    int connections = options.integer("connections", 1000);
    int perUser = Math.max(1, options.integer("sockets-per-user", 1));
    int users = Math.min(options.integer("users", 0), connections / perUser);
    int channelCount = users == 0 ? 0 : options.integer("channels", 0);
    String path = options.string("path", "/api/auth/status");
    OpenSchedule schedule = new OpenSchedule(options.decimal("rate", 5), options.duration("ramp-up", "0s"),
        options.duration("duration", "30s"));
    LatencyStats probe = harness.metrics.latency("probe");

    List<Accounts.Account> accounts = users == 0 ? List.of() : new Accounts(harness).signIn(users);
    Membership membership = channelCount == 0 ? null
        : Membership.of(options.string("pattern", "mod"), users, channelCount);
    List<String> channelIds = List.of();
    if (membership != null) {
      channelIds = ChannelSetup.ensureChannels(harness, accounts.get(0), membership.channels());
      ChannelSetup.join(harness, accounts, channelIds, membership);
    }
    List<String> channels = channelIds;
    SocketFleet fleet = new SocketFleet(harness, (user, event, arrivalNanos) -> { });
    JsonObject subscriptionsBefore = ClusterGauges.read(harness);
    long openStart = System.nanoTime();
    fleet.open(connections, socket -> {
      if (socket >= users * perUser) {
        return new SocketFleet.Subscription(null, List.of());
      }
      Accounts.Account account = accounts.get(socket / perUser);
      return new SocketFleet.Subscription(account.token(), membership == null
          ? List.of("chat.user." + account.id())
          : SendScenario.addresses(account, membership.channelsOf(socket / perUser), channels));
    });
    double openSeconds = (System.nanoTime() - openStart) / 1e9;
    harness.say(String.format(Locale.ROOT, "%d sockets open in %.1f s; probing %s at %.1f/s for %s...",
        harness.metrics.openSockets.get(), openSeconds, path, schedule.ratePerSecond(),
        Durations.format(schedule.duration())));

    int maxInFlight = options.integer("max-in-flight", 20_000);
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    Sampler sampler = new Sampler(harness, SendScenario.seconds(schedule.rampUp()),
        SendScenario.seconds(schedule.duration()));
    sampler.start(start);
    OpenLoopDriver.run(harness.lanes.get(0), schedule, start, (index, due) ->
        Measured.call(harness.metrics, maxInFlight, due,
            () -> harness.apiFor((int) index).get(path, null), probe)).await();
    Drain.await(harness, options.duration("drain", "5s"));
    sampler.stop();
    // Read after the probe phase: the gauge is sampled every few seconds, so the sockets' hubs are in it by now.
    JsonObject subscriptionsAfter = ClusterGauges.read(harness);

    JsonObject results = Results.build(harness, "idle", startedAt, SendScenario.seconds(schedule.rampUp()),
        SendScenario.seconds(schedule.duration()));
    results.put("setup", new JsonObject().put("connections", connections).put("signed_in_users", users)
        .put("sockets_per_user", perUser).put("channels", channelCount).put("targets", harness.apis.size())
        .put("seconds_to_open", Math.round(openSeconds * 10) / 10.0).put("probe_path", path));
    results.put("cluster_subscriptions", new JsonObject().put("before_sockets", subscriptionsBefore)
        .put("with_sockets", subscriptionsAfter)
        .put("bound_channels_x_nodes_plus_users_x_nodes", (long) (channelCount + users) * harness.apis.size()));
    harness.say("cluster subscription entries before the sockets " + subscriptionsBefore.encode() + ", with them "
        + subscriptionsAfter.encode() + " (channels × nodes + users × nodes = "
        + (long) (channelCount + users) * harness.apis.size() + ")");
    String pid = options.string("server-pid", null);
    if (pid != null) {
      harness.say("measuring the server's heap with jcmd...");
      results.put("server_heap", ServerHeap.measure(pid));
    }
    fleet.closeAll();
    return results;
  }
}
