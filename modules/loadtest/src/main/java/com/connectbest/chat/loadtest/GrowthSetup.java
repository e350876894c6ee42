package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data the {@code growth} mode measures, made once before the first stage: the measured user's channels (one
 * measured channel with a long history and a thread, the others with a few messages), conversations, a file that
 * another member attached to a message, a separate sender with a channel of its own for the send operation, and
 * the filler users' channels.
 */
final class GrowthSetup {

  /** Account roles: measured user, peer (thread replies, the file), sender (send operation); then the others. */
  static final int MEASURED = 0;
  static final int PEER = 1;
  static final int SENDER = 2;
  static final int FIRST_PARTNER = 3;

  record World(Accounts.Account measured, Accounts.Account peer, Accounts.Account sender, String measuredChannel,
      String threadRoot, List<String> reactionTargets, String fileKey, String sinkChannel,
      List<Accounts.Account> fillers, List<String> fillerChannels, String tag) {
  }

  private final Harness harness;
  private final GrowthPlan plan;
  private final GrowthApi api;
  private final AtomicLong stored;

  GrowthSetup(Harness harness, GrowthPlan plan, GrowthApi api, AtomicLong stored) {
    this.harness = harness;
    this.plan = plan;
    this.api = api;
    this.stored = stored;
  }

  World build() {
    String tag = harness.options.string("channel-prefix",
        harness.options.string("prefix", "gr") + "-" + Long.toString(System.currentTimeMillis(), 36));
    // The measured user and the users around it are new in every run (named after the run's tag); the fillers are
    // shared, so that a reused accounts file saves their sign-ups. With the roles shared too, each run on a store an
    // earlier run had filled put the same measured user in 20 more channels, with 956 more messages, and the channel
    // list and search slowed from run to run (growth-ab.sh's turns, benchmark 8 round 9).
    List<Accounts.Account> roles = new Accounts(harness, tag + "-r").signIn(FIRST_PARTNER + plan.dms());
    Accounts.Account measured = roles.get(MEASURED);
    Accounts.Account peer = roles.get(PEER);
    Accounts.Account sender = roles.get(SENDER);
    List<Accounts.Account> partners = roles.subList(FIRST_PARTNER, roles.size());
    List<Accounts.Account> fillers = new Accounts(harness).signIn(plan.fillerUsers());
    int concurrency = harness.options.integer("setup-concurrency", 16);

    harness.say("creating the measured user's " + plan.channels() + " channels...");
    String measuredChannel = create(measured, tag + "-m");
    List<String> others = Bounded.map(plan.channels() - 1, 4, i -> createAsync(measured, tag + "-o-" + i)).await();
    expect(harness.apiFor(PEER).join(peer.token(), measuredChannel), "join", 200).await();
    String sinkChannel = create(sender, tag + "-s");

    harness.say(String.format(Locale.ROOT,
        "posting %d messages, a thread of %d replies, %d pins, %d conversations and a file...", plan.history(),
        plan.threadReplies(), GrowthPlan.PINNED, plan.dms()));
    String threadRoot = messageId(send(measured, measuredChannel, "thread root " + GrowthPlan.NEEDLE, null)).await();
    List<String> history = Bounded.map(plan.history() - 1, concurrency, i -> messageId(send(
        i % 2 == 0 ? measured : peer, measuredChannel, content("history", i) + " " + GrowthPlan.NEEDLE, null)))
        .await();
    Bounded.map(plan.threadReplies(), 4, i -> counted(expect(api.reply(peer.token(), threadRoot,
        content("reply", i)), "reply", 201))).await();
    List<String> toPin = history.subList(Math.max(0, history.size() - GrowthPlan.PINNED), history.size());
    Bounded.map(toPin.size(), 4, i -> expect(api.pin(measured.token(), toPin.get(i)), "pin", 200)).await();
    Bounded.map(others.size() * GrowthPlan.OTHER_MESSAGES, concurrency, i -> messageId(send(measured,
        others.get(i / GrowthPlan.OTHER_MESSAGES), content("other", i), null))).await();
    // one at a time: concurrent first messages of one pair race to create its conversation, and the embedded
    // store answers the loser with a 500 (an _id clash that is not reported as a duplicate key)
    Bounded.map(partners.size() * 2 * GrowthPlan.DM_MESSAGES_EACH_WAY, 1, i -> {
      Accounts.Account partner = partners.get(i / (2 * GrowthPlan.DM_MESSAGES_EACH_WAY));
      boolean fromMeasured = i % 2 == 0;
      return counted(expect(api.sendDirect((fromMeasured ? measured : partner).token(),
          (fromMeasured ? partner : measured).id(), content("dm", i)), "direct message", 201));
    }).await();
    String fileKey = attachFile(peer, measuredChannel);
    List<String> reactionTargets = new ArrayList<>(history.subList(0, Math.min(history.size(), plan.concurrency())));
    while (reactionTargets.size() < plan.concurrency()) {
      reactionTargets.add(threadRoot);
    }

    harness.say("creating " + plan.fillerChannels() + " filler channels...");
    List<String> fillerChannels = Bounded.map(plan.fillerChannels(), 4,
        c -> createAsync(fillers.get(c % fillers.size()), tag + "-f-" + c)).await();
    return new World(measured, peer, sender, measuredChannel, threadRoot, reactionTargets, fileKey, sinkChannel,
        List.copyOf(fillers), fillerChannels, tag);
  }

  /** The peer uploads a small text file and attaches it to a message of the measured channel; returns its key. */
  private String attachFile(Accounts.Account peer, String channelId) {
    JsonObject uploaded = expect(api.upload(peer.token(), "growth.txt", "growth benchmark attachment\n"),
        "upload", 200).await().bodyAsJsonObject();
    String key = uploaded.getString("filename");
    JsonArray attachments = new JsonArray().add(new JsonObject().put("name", "growth.txt")
        .put("url", uploaded.getString("file_url")).put("key", key)
        .put("size", uploaded.getInteger("size", 0)).put("type", uploaded.getString("type", "text/plain")));
    messageId(send(peer, channelId, "the file " + GrowthPlan.NEEDLE, attachments)).await();
    return key;
  }

  static String content(String kind, long n) {
    return String.format(Locale.ROOT, "%s %d lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
        + "eiusmod tempor", kind, n);
  }

  private Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> send(Accounts.Account author,
      String channelId, String content, JsonArray attachments) {
    return expect(api.send(author.token(), channelId, content, attachments), "send", 201);
  }

  private Future<String> messageId(
      Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> sent) {
    return sent.map(response -> {
      stored.incrementAndGet();
      return response.bodyAsJsonObject().getJsonObject("message").getString("id");
    });
  }

  private Future<Void> counted(Future<?> sent) {
    return sent.map(response -> {
      stored.incrementAndGet();
      return null;
    });
  }

  private String create(Accounts.Account owner, String name) {
    return createAsync(owner, name).await();
  }

  private Future<String> createAsync(Accounts.Account owner, String name) {
    return harness.apiFor(owner.index()).createChannel(owner.token(), name)
        .compose(created -> created.statusCode() == 409
            ? Future.failedFuture("channel " + name + " already exists: use a fresh store or another --channel-prefix")
            : Accounts.expect(created, "create channel " + name, 201))
        .map(created -> created.bodyAsJsonObject().getJsonObject("channel").getString("id"));
  }

  static <T extends io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> Future<T> expect(
      Future<T> response, String what, int... statuses) {
    return response.compose(r -> Accounts.expect(r, what, statuses).map(ok -> r));
  }
}
