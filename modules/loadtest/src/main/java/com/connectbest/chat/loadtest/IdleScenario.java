package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code idle}: holds {@code --connections} bridge sockets open (the first {@code --users} of them signed in and
 * registered on their user address, the rest anonymous) and probes an HTTP endpoint at a low fixed rate, to show
 * what idle connections cost and that the node still answers.
 */
final class IdleScenario implements Scenario {

  @Override
  public JsonObject run(Harness harness) throws InterruptedException {
    Options options = harness.options;
    int connections = options.integer("connections", 1000);
    int users = Math.min(options.integer("users", 0), connections);
    String path = options.string("path", "/api/auth/status");
    OpenSchedule schedule = new OpenSchedule(options.decimal("rate", 5), options.duration("ramp-up", "0s"),
        options.duration("duration", "30s"));
    LatencyStats probe = harness.metrics.latency("probe");

    List<Accounts.Account> accounts = users == 0 ? List.of() : new Accounts(harness).signIn(users);
    SocketFleet fleet = new SocketFleet(harness, (user, event, arrivalNanos) -> { });
    long openStart = System.nanoTime();
    fleet.open(connections, user -> user < users
        ? new SocketFleet.Subscription(accounts.get(user).token(), List.of("chat.user." + accounts.get(user).id()))
        : new SocketFleet.Subscription(null, List.of()));
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

    JsonObject results = Results.build(harness, "idle", startedAt, SendScenario.seconds(schedule.rampUp()),
        SendScenario.seconds(schedule.duration()));
    results.put("setup", new JsonObject().put("connections", connections).put("signed_in", users)
        .put("seconds_to_open", Math.round(openSeconds * 10) / 10.0).put("probe_path", path));
    String pid = options.string("server-pid", null);
    if (pid != null) {
      harness.say("measuring the server's heap with jcmd...");
      results.put("server_heap", ServerHeap.measure(pid));
    }
    fleet.closeAll();
    return results;
  }
}
