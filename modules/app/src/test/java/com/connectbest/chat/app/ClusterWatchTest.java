package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectbest.chat.common.Settings;
import com.hazelcast.config.Config;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterWatchTest {

  @Test
  @DisplayName("a node needs a majority of three or more listed members, one of one or two, or CLUSTER_MIN_MEMBERS")
  void minimumMembers() {
    assertEquals(1, ClusterWatch.minMembers(new Settings(new JsonObject())));
    assertEquals(1, ClusterWatch.minMembers(new Settings(new JsonObject().put("CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2"))));
    assertEquals(2, ClusterWatch.minMembers(new Settings(new JsonObject()
        .put("CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2,10.0.0.3"))));
    assertEquals(3, ClusterWatch.minMembers(new Settings(new JsonObject()
        .put("CLUSTER_MEMBERS", "a:1,a:2,a:3,a:4,a:5"))));
    assertEquals(1, ClusterWatch.minMembers(new Settings(new JsonObject()
        .put("CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2,10.0.0.3").put("CLUSTER_MIN_MEMBERS", "1"))));
    assertEquals(3, ClusterWatch.minMembers(new Settings(new JsonObject().put("CLUSTER_MIN_MEMBERS", 3))));
  }

  @Test
  @DisplayName("a split-off node looks for the others every 5 s, not after Hazelcast's 5 and 2 minutes")
  void fastMerge() {
    Config config = ClusterSupport.hazelcastConfig(new Settings(new JsonObject()));
    assertEquals("5", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("5", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals("1", config.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("10", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    Config tuned = ClusterSupport.hazelcastConfig(new Settings(new JsonObject()
        .put("CLUSTER_MERGE_FIRST_DELAY_SECONDS", 2).put("CLUSTER_MERGE_INTERVAL_SECONDS", "3")));
    assertEquals("2", tuned.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("3", tuned.getProperty("hazelcast.merge.next.run.delay.seconds"));
  }
}
