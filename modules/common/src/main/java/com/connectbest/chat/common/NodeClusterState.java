package com.connectbest.chat.common;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

/**
 * Whether this node is part of a working cluster, as the app's cluster watch sees it: {@code connected} is false
 * while the node sees fewer members than {@code expected} (CLUSTER_MIN_MEMBERS), while Hazelcast merges it back
 * after a split, or right after the process was paused for longer than the failure timeout (the others have dropped
 * it by then). The current value lives in a node-local shared map (any verticle reads it, whenever it started);
 * each change is also published on {@link Addresses#NODE_CLUSTER_STATE}, local only.
 */
public record NodeClusterState(boolean connected, int members, int expected, String reason, long since) {

  private static final String MAP = "connectbest.node";
  private static final String KEY = "cluster-state";

  /** A node that is not clustered, or whose watch has not reported yet, counts as connected. */
  public static NodeClusterState current(Vertx vertx) {
    LocalMap<String, JsonObject> map = vertx.sharedData().getLocalMap(MAP);
    JsonObject stored = map.get(KEY);
    return stored == null ? new NodeClusterState(true, 1, 1, null, 0) : fromJson(stored);
  }

  /** Stores the state for {@link #current} and tells this node's consumers of {@link Addresses#NODE_CLUSTER_STATE}. */
  public static void publish(Vertx vertx, NodeClusterState state) {
    vertx.sharedData().<String, JsonObject>getLocalMap(MAP).put(KEY, state.toJson());
    vertx.eventBus().publish(Addresses.NODE_CLUSTER_STATE, state.toJson(), new DeliveryOptions().setLocalOnly(true));
  }

  public JsonObject toJson() {
    return new JsonObject().put("connected", connected).put("members", members).put("expected", expected)
        .put("reason", reason).put("since", since);
  }

  public static NodeClusterState fromJson(JsonObject json) {
    return new NodeClusterState(json.getBoolean("connected", true), json.getInteger("members", 1),
        json.getInteger("expected", 1), json.getString("reason"), json.getLong("since", 0L));
  }
}
