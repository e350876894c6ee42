package com.connectbest.chat.app;

import com.connectbest.chat.common.NodeClusterState;
import com.connectbest.chat.common.Settings;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the node whether it is still part of the cluster ({@link NodeClusterState}). Cut off means: fewer members
 * visible than CLUSTER_MIN_MEMBERS, or Hazelcast is merging this node back after a split, or the process has just
 * been paused (SIGSTOP, a long GC) for longer than the failure timeout, after which the others have dropped it.
 *
 * <p>Membership and lifecycle listeners react at once; a check every {@link #CHECK_MS} also re-reads the member
 * list, so a missed listener call is corrected within that period. A pause is noticed by a thread of its own that
 * sleeps {@link #CHECK_MS} at a time and wakes up much later than asked: not by an event-loop timer, which a busy
 * event loop (a slow start, a blocking call) would delay just the same.
 */
final class ClusterWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
  static final long CHECK_MS = 500;

  private final Vertx vertx;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final int expected;
  private final long pauseThresholdNanos;
  private volatile boolean merging;
  private volatile boolean stopped;
  private long pausedUntil = System.nanoTime();
  private String pauseReason;
  private NodeClusterState state;

  private ClusterWatch(Vertx vertx, HazelcastInstance hazelcast, int expected, long pauseThresholdSeconds) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.hazelcast = hazelcast;
    this.expected = expected;
    this.pauseThresholdNanos = TimeUnit.SECONDS.toNanos(pauseThresholdSeconds);
  }

  /** Starts watching a clustered Vert.x instance's Hazelcast member. */
  static void watch(Vertx vertx, HazelcastClusterManager manager, Settings settings) {
    ClusterWatch watch = new ClusterWatch(vertx, manager.getHazelcastInstance(), minMembers(settings),
        ClusterSupport.failureTimeoutSeconds(settings));
    watch.hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        watch.recheck();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        watch.recheck();
      }
    });
    watch.hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
        watch.stopped = true;
      } else if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
        watch.merging = true;
      } else if (event.getState() == LifecycleEvent.LifecycleState.MERGED
          || event.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
        watch.merging = false;
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          watch.context.runOnContext(v -> watch.pausedUntil = System.nanoTime()); // rejoined: no need to wait more
        }
      }
      watch.recheck();
    });
    watch.context.runOnContext(v -> {
      watch.evaluate();
      vertx.setPeriodic(CHECK_MS, id -> watch.evaluate());
    });
    Thread detector = new Thread(watch::detectPauses, "connectbest-pause-detector");
    detector.setDaemon(true);
    detector.start();
  }

  /**
   * CLUSTER_MIN_MEMBERS, else a majority of the CLUSTER_MEMBERS entries when they list three or more (a node on
   * the minority side of a split stops serving), else 1: with one or two entries a lone node keeps serving, since
   * it cannot tell a dead peer from a partition.
   */
  static int minMembers(Settings settings) {
    Integer configured = settings.config().getValue("CLUSTER_MIN_MEMBERS") == null ? null
        : settings.integer("CLUSTER_MIN_MEMBERS", 1);
    if (configured != null) {
      return Math.max(1, configured);
    }
    List<String> members = settings.list("CLUSTER_MEMBERS").stream().map(String::trim).distinct().toList();
    return members.size() >= 3 ? members.size() / 2 + 1 : 1;
  }

  private void recheck() {
    context.runOnContext(v -> evaluate());
  }

  private void detectPauses() {
    long last = System.nanoTime();
    while (!stopped) {
      try {
        Thread.sleep(CHECK_MS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long gap = now - last;
      last = now;
      if (gap - TimeUnit.MILLISECONDS.toNanos(CHECK_MS) >= pauseThresholdNanos) {
        context.runOnContext(v -> paused(gap, now));
      }
    }
  }

  /**
   * The others have declared this node dead meanwhile, whatever Hazelcast still shows for a moment: deliveries
   * published during the pause went elsewhere. Hazelcast on this node notices only seconds later (measured: up to
   * ~5 s with a 4 s failure timeout), so stay cut off for two failure timeouts, or until Hazelcast reports the merge
   * back into the cluster.
   */
  private void paused(long gap, long resumedAt) {
    pauseReason = "this node was paused for " + TimeUnit.NANOSECONDS.toSeconds(gap)
        + " s, longer than the cluster's failure timeout";
    pausedUntil = resumedAt + 2 * pauseThresholdNanos;
    evaluate();
  }

  private void evaluate() {
    if (stopped) {
      return; // leaving the cluster on purpose: the shutdown closes the sockets and says why
    }
    int members;
    try {
      members = hazelcast.getLifecycleService().isRunning() ? hazelcast.getCluster().getMembers().size() : 0;
    } catch (RuntimeException e) {
      members = 0; // the instance is shutting down
    }
    String reason = null;
    if (System.nanoTime() - pausedUntil < 0) {
      reason = pauseReason;
    } else if (merging) {
      reason = "this node is merging back into the cluster after a split";
    } else if (members < expected) {
      reason = "this node sees " + members + " cluster member(s), fewer than the " + expected
          + " required (CLUSTER_MIN_MEMBERS)";
    }
    boolean connected = reason == null;
    if (state != null && state.connected() == connected && (connected || state.reason().equals(reason))
        && state.members() == members) {
      return;
    }
    boolean changed = state == null ? !connected : state.connected() != connected;
    state = new NodeClusterState(connected, members, expected, reason,
        changed || state == null ? System.currentTimeMillis() : state.since());
    if (changed) {
      if (connected) {
        LOG.info("Cluster: connected again ({} members)", members);
      } else {
        LOG.warn("Cluster: cut off: {}; answering 503 and closing bridge sockets until it rejoins", reason);
      }
    }
    NodeClusterState.publish(vertx, state);
  }
}
