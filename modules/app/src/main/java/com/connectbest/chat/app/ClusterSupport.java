package com.connectbest.chat.app;

import com.connectbest.chat.common.Settings;
import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.File;
import java.io.FileNotFoundException;
import java.util.List;

/** Creates the node's Vert.x instance: plain, or a member of a Hazelcast cluster over TCP-IP (no multicast). */
public final class ClusterSupport {

  public static final String DEFAULT_CONFIG = "conf/cluster.xml";
  static final String CLASSPATH_CONFIG = "cluster.xml";
  private static final String LOGGING_TYPE = "hazelcast.logging.type";

  private ClusterSupport() {
  }

  public static Future<Vertx> createVertx(Settings settings, boolean clustered) {
    if (!clustered) {
      return Future.succeededFuture(MetricsSetup.builder(new VertxOptions()).build());
    }
    Config hazelcast;
    try {
      hazelcast = hazelcastConfig(settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(settings.string("CLUSTER_HOST", "127.0.0.1"))
        .setPort(settings.integer("EVENTBUS_PORT", 0)));
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    return MetricsSetup.builder(options).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> ClusterWatch.watch(vertx, manager, settings));
  }

  /** conf/cluster.xml (or CLUSTER_CONFIG), with this node's address, port and members taken from the settings. */
  private static final int RATE_LIMIT_SERIALIZER_TYPE_ID_BASE = 10_000;

  public static Config hazelcastConfig(Settings settings) {
    if (System.getProperty(LOGGING_TYPE) == null) {
      System.setProperty(LOGGING_TYPE, "slf4j"); // the XML loader logs before the config's own property applies
    }
    Config config = load(settings.string("CLUSTER_CONFIG", DEFAULT_CONFIG));
    NetworkConfig network = config.getNetworkConfig().setPort(settings.integer("CLUSTER_PORT", 5701));
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.string("CLUSTER_HOST", "127.0.0.1")));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = settings.list("CLUSTER_MEMBERS");
    join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of("127.0.0.1") : members);
    // The gateway's cluster-wide rate-limit buckets run as Bucket4j entry processors inside Hazelcast.
    io.github.bucket4j.grid.hazelcast.HazelcastProxyManager.addCustomSerializers(config.getSerializationConfig(),
        RATE_LIMIT_SERIALIZER_TYPE_ID_BASE);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    // A member that stops answering is removed after this long; its event-bus consumers go with it, so requests
    // for its services fail fast with 503 instead of waiting for timeouts.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(failureTimeoutSeconds(settings)));
    splitBrainMerge(config, settings);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty(LOGGING_TYPE, "slf4j");
    // Our shutdown hook closes Vert.x, which leaves the cluster cleanly; Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    return config;
  }

  /** CLUSTER_FAILURE_TIMEOUT_SECONDS: a member silent this long is declared dead (Hazelcast max.no.heartbeat). */
  static int failureTimeoutSeconds(Settings settings) {
    return settings.integer("CLUSTER_FAILURE_TIMEOUT_SECONDS", 10);
  }

  /**
   * How soon a node that was split off (paused, or cut off by the network) rejoins once it can reach the others
   * again: Hazelcast looks for other clusters at the configured members first after CLUSTER_MERGE_FIRST_DELAY_SECONDS
   * and then every CLUSTER_MERGE_INTERVAL_SECONDS, and the smaller side merges into the larger. Hazelcast's defaults
   * (300 s, then 120 s) kept a resumed node alone for minutes; with 5 s each, it rejoins within about 5-15 s of the
   * partition healing.
   */
  private static void splitBrainMerge(Config config, Settings settings) {
    config.setProperty("hazelcast.merge.first.run.delay.seconds",
        String.valueOf(settings.integer("CLUSTER_MERGE_FIRST_DELAY_SECONDS", 5)));
    config.setProperty("hazelcast.merge.next.run.delay.seconds",
        String.valueOf(settings.integer("CLUSTER_MERGE_INTERVAL_SECONDS", 5)));
  }

  private static Config load(String path) {
    File file = new File(path);
    if (!file.isFile()) {
      if (!DEFAULT_CONFIG.equals(path)) {
        throw new StartupFailure("CLUSTER_CONFIG names " + path + ", which is not a readable file");
      }
      return new ClasspathXmlConfig(CLASSPATH_CONFIG);
    }
    try {
      return new FileSystemXmlConfig(file);
    } catch (FileNotFoundException e) {
      throw new StartupFailure("Cannot read the cluster configuration " + path + ": " + e.getMessage());
    }
  }
}
