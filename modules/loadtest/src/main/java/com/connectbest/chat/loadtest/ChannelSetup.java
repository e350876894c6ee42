package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Creates the run's channels ({@code <channel-prefix>-<n>}, or finds those of an earlier run) and memberships. */
final class ChannelSetup {

  private ChannelSetup() {
  }

  /** Server ids of channels 0..count-1, created by {@code owner}. */
  static List<String> ensureChannels(Harness harness, Accounts.Account owner, int count) {
    String prefix = harness.options.string("channel-prefix", harness.options.string("prefix", "lt") + "-ch");
    ChatApi api = harness.apiFor(owner.index());
    List<String> ids = new ArrayList<>(Bounded.map(count, 4, c -> api.createChannel(owner.token(), prefix + "-" + c)
        .compose(created -> created.statusCode() == 409
            ? Future.succeededFuture("")
            : Accounts.expect(created, "create channel", 201)
                .map(r -> r.bodyAsJsonObject().getJsonObject("channel").getString("id")))).await());
    if (ids.contains("")) {
      JsonArray mine = api.myChannels(owner.token()).compose(r -> Accounts.expect(r, "list channels", 200))
          .map(r -> r.bodyAsJsonObject().getJsonArray("channels")).await();
      for (int c = 0; c < count; c++) {
        if (ids.get(c).isEmpty()) {
          ids.set(c, idOf(mine, prefix + "-" + c, owner));
        }
      }
    }
    return ids;
  }

  private static String idOf(JsonArray channels, String name, Accounts.Account owner) {
    for (Object item : channels) {
      JsonObject channel = (JsonObject) item;
      if (name.equalsIgnoreCase(channel.getString("name"))) {
        return channel.getString("id");
      }
    }
    throw new IllegalStateException("channel " + name + " exists but " + owner.email()
        + " is not in it; use another --channel-prefix");
  }

  /** Every user joins its channels; "already a member" (400) is fine. */
  static void join(Harness harness, List<Accounts.Account> accounts, List<String> channelIds, Membership membership) {
    List<int[]> pairs = new ArrayList<>();
    for (int u = 0; u < membership.users(); u++) {
      for (int c : membership.channelsOf(u)) {
        pairs.add(new int[] {u, c});
      }
    }
    harness.say("joining " + pairs.size() + " memberships...");
    int concurrency = harness.options.integer("setup-concurrency", 16);
    Bounded.map(pairs.size(), concurrency, i -> {
      Accounts.Account account = accounts.get(pairs.get(i)[0]);
      return harness.apiFor(account.index()).join(account.token(), channelIds.get(pairs.get(i)[1]))
          .compose(r -> Accounts.expect(r, "join", 200, 400));
    }).await();
  }
}
