package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code send}: N users in M channels, one live socket each, posting at a fixed open-model rate. Measures the
 * HTTP send latency and the fan-out latency to every subscriber, and counts lost and duplicated copies.
 */
final class SendScenario implements Scenario {

  @Override
  public JsonObject run(Harness harness) throws InterruptedException {
    Options options = harness.options;
    int users = options.integer("users", 100);
    int channelCount = options.integer("channels", 10);
    Membership membership = Membership.of(options.string("pattern", "mod"), users, channelCount);
    OpenSchedule schedule = new OpenSchedule(options.decimal("rate", 100),
        options.duration("ramp-up", "5s"), options.duration("duration", "30s"));
    boolean withSockets = options.sockets();
    RunMetrics metrics = harness.metrics;
    LatencyStats fanout = withSockets ? metrics.latency("fanout") : null;
    LatencyStats http = metrics.latency("http");
    DeliveryTracker tracker = new DeliveryTracker(UUID.randomUUID().toString().substring(0, 8), metrics,
        fanout == null ? new LatencyStats("unused") : fanout);

    if (withSockets && harness.apis.size() > 1) {
      tracker.splitByNode(user -> user % harness.apis.size(), metrics.latency("fanout_same_node"),
          metrics.latency("fanout_cross_node"));
    }

    List<Accounts.Account> accounts = new Accounts(harness).signIn(users);
    List<String> channelIds = ChannelSetup.ensureChannels(harness, accounts.get(0), membership.channels());
    ChannelSetup.join(harness, accounts, channelIds, membership);

    Set<Long> ready = ConcurrentHashMap.newKeySet();
    if (withSockets) {
      SocketFleet fleet = new SocketFleet(harness, tracker.sink(ready));
      fleet.open(users, user -> new SocketFleet.Subscription(accounts.get(user).token(),
          addresses(accounts.get(user), membership.channelsOf(user), channelIds)));
      new WarmUp(harness, tracker, membership, accounts, channelIds, ready, fleet::isOpen)
          .await(Duration.ofSeconds(20));
    }

    int maxInFlight = options.integer("max-in-flight", 20_000);
    int messageBytes = options.integer("message-bytes", 100);
    int retries = options.integer("send-retries", 1);
    harness.say(String.format(Locale.ROOT, "sending %d messages at %.1f/s for %s (ramp-up %s)...",
        schedule.totalRequests(), schedule.ratePerSecond(), Durations.format(schedule.duration()),
        Durations.format(schedule.rampUp())));
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    Sampler sampler = new Sampler(harness, seconds(schedule.rampUp()), seconds(schedule.duration()));
    sampler.start(start);
    OpenLoopDriver.run(harness.lanes.get(0), schedule, start, (index, due) -> {
      int user = (int) (index % users);
      int[] mine = membership.channelsOf(user);
      int channel = mine[(int) ((index / users) % mine.length)];
      Accounts.Account account = accounts.get(user);
      tracker.sending(index, channel, user, due);
      String key = KeyedSend.key(tracker.runId(), index);
      KeyedSend.send(metrics, retries, () -> Measured.call(metrics, maxInFlight, due, () -> harness.apiFor(user)
              .send(account.token(), channelIds.get(channel), tracker.content(index, messageBytes), key), http))
          .onSuccess(response -> tracker.accepted(index));
    }).await();
    Drain.await(harness, options.duration("drain", "5s"), () -> withSockets
        ? tracker.missing(membership, (user, channel) -> ready.contains(DeliveryTracker.key(user, channel))) : 0);
    sampler.stop();

    JsonObject results = Results.build(harness, "send", startedAt, seconds(schedule.rampUp()),
        seconds(schedule.duration()));
    results.put("setup", new JsonObject().put("users", users).put("channels", membership.channels())
        .put("pattern", options.string("pattern", "mod")).put("rate_per_second", schedule.ratePerSecond())
        .put("sockets", withSockets).put("run_id", tracker.runId()));
    if (withSockets) {
      results.put("delivery", tracker.summary(membership, (user, channel) -> ready.contains(DeliveryTracker.key(user, channel)))
          .put("subscriptions_ready", ready.size()));
      JsonObject latency = results.getJsonObject("latency");
      if (latency.containsKey("fanout_cross_node") && latency.getJsonObject("fanout_cross_node").containsKey("p99_ms")
          && latency.getJsonObject("fanout_same_node").containsKey("p99_ms")) {
        results.getJsonObject("delivery").put("cross_node_extra_p99_ms", Results.round(
            latency.getJsonObject("fanout_cross_node").getDouble("p99_ms")
                - latency.getJsonObject("fanout_same_node").getDouble("p99_ms")));
      }
    }
    return results;
  }

  static List<String> addresses(Accounts.Account account, int[] channels, List<String> channelIds) {
    List<String> addresses = new ArrayList<>();
    addresses.add("chat.user." + account.id());
    for (int channel : channels) {
      addresses.add("chat.channel." + channelIds.get(channel));
    }
    return addresses;
  }

  static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
