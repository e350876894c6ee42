package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** {@code team}: the realistic team profile of {@link TeamPlan}, measured per action and over all requests. */
final class TeamScenario implements Scenario {

  private static final String[] EMOJI = {"👍", "🎉", "❤️", "😄"};

  private Harness harness;
  private Membership membership;
  private List<Accounts.Account> accounts;
  private List<String> channelIds;
  private DeliveryTracker tracker;
  private int maxInFlight;
  private int sendRetries;
  private final Map<Integer, String> lastMessageByChannel = new ConcurrentHashMap<>();
  private final Map<TeamPlan.Action, LatencyStats> byAction = new ConcurrentHashMap<>();
  private LatencyStats all;

  @Override
  public JsonObject run(Harness harness) throws InterruptedException {
    this.harness = harness;
    Options options = harness.options;
    int users = options.integer("users", 500);
    membership = Membership.teams(users, options.integer("team-size", 25));
    Duration rampUp = options.duration("ramp-up", "10s");
    Duration duration = options.duration("duration", "60s");
    TeamPlan plan = TeamPlan.draw(users, rampUp, duration, options.decimal("team-speed", 1),
        options.integer("seed", 42));
    RunMetrics metrics = harness.metrics;
    all = metrics.latency("http");
    LatencyStats fanout = metrics.latency("fanout");
    for (TeamPlan.Action action : TeamPlan.Action.values()) {
      byAction.put(action, metrics.latency(action.name().toLowerCase(Locale.ROOT)));
    }
    tracker = new DeliveryTracker(UUID.randomUUID().toString().substring(0, 8), metrics, fanout);
    maxInFlight = options.integer("max-in-flight", 20_000);
    sendRetries = options.integer("send-retries", 1);

    accounts = new Accounts(harness).signIn(users);
    channelIds = ChannelSetup.ensureChannels(harness, accounts.get(0), membership.channels());
    ChannelSetup.join(harness, accounts, channelIds, membership);
    Set<Long> ready = ConcurrentHashMap.newKeySet();
    SocketFleet fleet = new SocketFleet(harness, tracker.sink(ready));
    fleet.open(users, user -> new SocketFleet.Subscription(accounts.get(user).token(),
        SendScenario.addresses(accounts.get(user), membership.channelsOf(user), channelIds)));
    new WarmUp(harness, tracker, membership, accounts, channelIds, ready, fleet::isOpen).await(Duration.ofSeconds(30));

    harness.say(String.format(Locale.ROOT, "team profile: %d users, %d channels, %d actions (%d posts) over %s...",
        users, membership.channels(), plan.size(), plan.count(TeamPlan.Action.POST), Durations.format(duration)));
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    Sampler sampler = new Sampler(harness, SendScenario.seconds(rampUp), SendScenario.seconds(duration));
    sampler.start(start);
    OpenLoopDriver.run(harness.lanes.get(0), plan, start, (index, due) -> fire(index, plan.event(index), due))
        .await();
    Drain.await(harness, options.duration("drain", "5s"),
        () -> tracker.missing(membership, (user, channel) -> ready.contains(DeliveryTracker.key(user, channel))));
    sampler.stop();

    JsonObject results = Results.build(harness, "team", startedAt, SendScenario.seconds(rampUp),
        SendScenario.seconds(duration));
    JsonObject mix = new JsonObject();
    for (TeamPlan.Action action : TeamPlan.Action.values()) {
      mix.put(action.name().toLowerCase(Locale.ROOT), plan.count(action));
    }
    results.put("setup", new JsonObject().put("users", users).put("channels", membership.channels())
        .put("team_size", options.integer("team-size", 25)).put("team_speed", options.decimal("team-speed", 1))
        .put("planned_actions", mix).put("profile", TeamPlan.describe()));
    results.put("delivery", tracker.summary(membership,
        (user, channel) -> ready.contains(DeliveryTracker.key(user, channel))).put("subscriptions_ready", ready.size()));
    fleet.closeAll();
    return results;
  }

  private void fire(long index, TeamPlan.Event event, long due) {
    int user = event.user();
    Accounts.Account account = accounts.get(user);
    ChatApi api = harness.apiFor(user);
    int[] channels = membership.channelsOf(user);
    int teamChannel = channels[0];
    int someChannel = channels[event.choice() % channels.length];
    switch (event.action()) {
      case SESSION -> {
        call(TeamPlan.Action.CHANNELS, due, () -> api.myChannels(account.token()));
        for (int channel : channels) {
          history(api, account, channel, due, TeamPlan.Action.SESSION);
        }
      }
      case POST -> {
        int channel = event.choice() < 90 ? teamChannel : channels[channels.length - 1];
        tracker.sending(index, channel, user, due);
        String key = KeyedSend.key(tracker.runId(), index);
        KeyedSend.send(harness.metrics, sendRetries, () -> call(TeamPlan.Action.POST, due,
            () -> api.send(account.token(), channelIds.get(channel), tracker.content(index, 80), key)))
            .onSuccess(response -> {
              tracker.accepted(index);
              String id = response.bodyAsJsonObject().getJsonObject("message", new JsonObject()).getString("id");
              if (id != null) {
                lastMessageByChannel.put(channel, id);
              }
            });
      }
      case TYPING -> call(TeamPlan.Action.TYPING, due,
          () -> api.typing(account.token(), channelIds.get(teamChannel), true));
      case READ -> call(TeamPlan.Action.READ, due, () -> api.markRead(account.token(), channelIds.get(someChannel)));
      case HISTORY -> history(api, account, someChannel, due, TeamPlan.Action.HISTORY);
      case CHANNELS -> call(TeamPlan.Action.CHANNELS, due, () -> api.myChannels(account.token()));
      case REACT -> {
        String messageId = lastMessageByChannel.get(someChannel);
        if (messageId == null) {
          history(api, account, someChannel, due, TeamPlan.Action.HISTORY);
        } else {
          call(TeamPlan.Action.REACT, due, () -> api.react(account.token(), channelIds.get(someChannel), messageId,
              EMOJI[event.choice() % EMOJI.length]));
        }
      }
      default -> throw new IllegalStateException("unplanned action " + event.action());
    }
  }

  private void history(ChatApi api, Accounts.Account account, int channel, long due, TeamPlan.Action as) {
    call(as, due, () -> api.history(account.token(), channelIds.get(channel), 50)).onSuccess(response -> {
      JsonArray messages = response.bodyAsJsonObject().getJsonArray("messages", new JsonArray());
      if (!messages.isEmpty()) {
        lastMessageByChannel.putIfAbsent(channel, messages.getJsonObject(0).getString("id"));
      }
    });
  }

  private Future<HttpResponse<Buffer>> call(TeamPlan.Action action, long due,
      Supplier<Future<HttpResponse<Buffer>>> request) {
    return Measured.call(harness.metrics, maxInFlight, due, request, all, byAction.get(action));
  }
}
