package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The bridge does not acknowledge a registration, so before measuring, each channel gets warm-up messages until
 * every member's socket has received one: only those subscriptions count as expected deliveries.
 */
final class WarmUp {

  private final Harness harness;
  private final DeliveryTracker tracker;
  private final Membership membership;
  private final List<Accounts.Account> accounts;
  private final List<String> channelIds;
  private final Set<Long> ready;
  private final IntPredicate hasSocket;

  WarmUp(Harness harness, DeliveryTracker tracker, Membership membership, List<Accounts.Account> accounts,
      List<String> channelIds, Set<Long> ready, IntPredicate hasSocket) {
    this.harness = harness;
    this.tracker = tracker;
    this.membership = membership;
    this.accounts = accounts;
    this.channelIds = channelIds;
    this.ready = ready;
    this.hasSocket = hasSocket;
  }

  void await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> pending = pendingChannels();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Future.all(pending.stream().map(this::sendWarmUp).toList()).otherwiseEmpty().await();
      Thread.sleep(500);
      pending = pendingChannels();
    }
    long wanted = 0;
    for (int c = 0; c < membership.channels(); c++) {
      wanted += membership.membersOf(c).length;
    }
    harness.say("subscriptions ready: " + ready.size() + " of " + wanted
        + (pending.isEmpty() ? "" : " (the missing ones do not count as expected deliveries)"));
  }

  private Future<?> sendWarmUp(int channel) {
    Accounts.Account sender = accounts.get(membership.membersOf(channel)[0]);
    // Each warm-up send is a new message (they repeat until subscriptions are ready), so each gets a new key.
    return harness.apiFor(sender.index()).send(sender.token(), channelIds.get(channel), tracker.warmupContent(channel),
        java.util.UUID.randomUUID().toString());
  }

  private List<Integer> pendingChannels() {
    List<Integer> pending = new ArrayList<>();
    for (int c = 0; c < membership.channels(); c++) {
      for (int member : membership.membersOf(c)) {
        if (hasSocket.test(member) && !ready.contains(DeliveryTracker.key(member, c))) {
          pending.add(c);
          break;
        }
      }
    }
    return pending;
  }
}
