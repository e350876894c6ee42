package com.connectbest.chat.common;

import java.util.regex.Pattern;

/**
 * Every event-bus address of the system. Documented in docs/event-bus.md.
 *
 * <p>Browser-visible addresses all start with {@link #BROWSER_PREFIX}, so that one regex
 * ({@link #BRIDGE_OUTBOUND_REGEX}) governs what the SockJS bridge lets browsers register for.
 * Service addresses and internal events never start with it.
 */
public final class Addresses {

  public static final String AUTH = "service.auth";
  public static final String CHANNELS = "service.channels";
  public static final String MESSAGES = "service.messages";
  public static final String DMS = "service.dms";
  public static final String UPLOADS = "service.uploads";
  public static final String METRICS = "service.metrics";

  /**
   * Local to one node, never sent to other nodes: published when this node loses or regains the cluster; body
   * {@link NodeClusterState#toJson()}. The gateway closes its bridge sockets and answers 503 while cut off.
   */
  public static final String NODE_CLUSTER_STATE = "local.node.cluster-state";

  /** Published by the auth service when a user's profile, role or status changes; body {@code {user_id}}. */
  public static final String USER_CHANGED = "events.user.changed";
  /**
   * Published when an account's tokens stop being valid: sign-out, password change, account removal; body
   * {@code {user_id, valid_after_ms, reason: logout|password_changed|removed}}. Every gateway drops its cached
   * principal and closes that user's bridge sockets whose token was issued before {@code valid_after_ms} (all of
   * them for {@code removed}).
   */
  public static final String ACCOUNT_REVOKED = "events.account.revoked";
  /** Published by the auth service after a registration; body {@code {user_id}}. */
  public static final String USER_REGISTERED = "events.user.registered";
  /**
   * Published by the channels service when a membership changes; body {@code {channel_id, user_id, change}} with
   * change {@code joined} or {@code left}. Membership caches (messages service, bridge) invalidate on it.
   */
  public static final String MEMBERSHIP_CHANGED = "events.membership.changed";
  /**
   * Typing signals, published by the channels instance that took them so that the other instances' in-memory
   * typing boards follow; body {@code {origin, channel_id, user_id, typing, expires_at (epoch ms)}}. Entries expire
   * by themselves, so a lost event is wrong for at most one typing window.
   */
  public static final String TYPING_CHANGED = "events.typing.changed";
  /** Every node's metrics verticle publishes its latest sample here; every metrics verticle keeps them all. */
  public static final String METRICS_SAMPLED = "events.metrics.sampled";
  /**
   * Every node's metrics verticle publishes its log counters and per-operation response times here (totals since
   * the node started) on the same tick; every metrics verticle sums the newest of each live node.
   */
  public static final String METRICS_LOGS = "events.metrics.logs";

  /**
   * Local to each node (a local consumer of the TCP bot bridge): the only address bots may {@code send} to over the
   * bridge; body {@code {action: sendMessage|reply, ...}}. The bridge puts the bot's verified identity in the
   * delivery headers, so nothing else may reach it (never a cluster-wide consumer: a peer could forge headers).
   */
  public static final String BOT_ACTIONS = "bot.actions";

  public static final String BROWSER_PREFIX = "chat.";
  public static final String BRIDGE_OUTBOUND_REGEX = "chat\\.(channel|user)\\.[A-Za-z0-9_]+";

  private static final Pattern SERVICE_NAME = Pattern.compile("[a-z]+");

  private Addresses() {
  }

  public static String service(String name) {
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a service name: " + name);
    }
    return "service." + name;
  }

  /**
   * One per running messages service instance ({@code runId}: its record in {@code counter_writer_runs}): answers
   * any message with an empty reply. Other instances ask it whether that run is still alive: no handler means its
   * process died or its node left the cluster, so the counters it was writing are audited.
   */
  public static String messagesRun(String runId) {
    return "runs.messages." + runId;
  }

  public static String channel(String channelId) {
    return BROWSER_PREFIX + "channel." + channelId;
  }

  public static String user(String userId) {
    return BROWSER_PREFIX + "user." + userId;
  }
}
