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
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
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
    VertxOptions options;
    try {
      options = new VertxOptions().setEventBusOptions(withClusterTls(new EventBusOptions()
          .setHost(settings.string("CLUSTER_HOST", "127.0.0.1"))
          .setPort(settings.integer("EVENTBUS_PORT", 0)), settings));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    return MetricsSetup.builder(options).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> {
          ClusterWatch.watch(vertx, manager, settings);
          ClusterSubscriptions.watch(vertx, manager.getHazelcastInstance());
        });
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
    restrictMembership(config, settings);
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

  /** The event-bus TLS settings: PEM files of this node's certificate and key, and of the cluster's CA. */
  public static final List<String> TLS_SETTINGS = List.of("CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY", "CLUSTER_TLS_CA");

  /** Whether all of {@link #TLS_SETTINGS} are set; a StartupFailure when only some are. */
  public static boolean clusterTls(Settings settings) {
    long set = TLS_SETTINGS.stream().filter(name -> settings.string(name, null) != null).count();
    if (set != 0 && set != TLS_SETTINGS.size()) {
      throw new StartupFailure("Event-bus TLS needs all of " + String.join(", ", TLS_SETTINGS) + "; only "
          + TLS_SETTINGS.stream().filter(name -> settings.string(name, null) != null).toList() + " set");
    }
    return set == TLS_SETTINGS.size();
  }

  /**
   * Mutual TLS between event buses: each node presents its certificate and accepts only peers whose certificate the
   * cluster CA signed, as server and as client. Peers are not checked against host names: a certificate from the
   * cluster CA is what makes a node one of ours (docker/cluster-certs.sh issues them).
   */
  static EventBusOptions withClusterTls(EventBusOptions options, Settings settings) {
    if (!clusterTls(settings)) {
      return options;
    }
    // EventBusOptions trusts every certificate by default: only the cluster CA may be trusted, as server and client.
    return options.setSsl(true)
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.string("CLUSTER_TLS_CERT", null))
            .setKeyPath(settings.string("CLUSTER_TLS_KEY", null)))
        .setTrustOptions(new PemTrustOptions().addCertPath(settings.string("CLUSTER_TLS_CA", null)));
  }

  /**
   * What the open-source Hazelcast offers against foreign members (it has no member TLS or authentication):
   * sockets bound to CLUSTER_HOST only rather than every interface, and a cluster name derived from CLUSTER_SECRET,
   * which Hazelcast compares on every join request and client connection. The name travels in clear text: it keeps
   * out strangers and misconfigured nodes, not someone who can read the network (see README, "Cluster security").
   */
  static void restrictMembership(Config config, Settings settings) {
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.socket.server.bind.any", "false");
    config.setProperty("hazelcast.socket.client.bind.any", "false");
    String secret = settings.string("CLUSTER_SECRET", null);
    if (secret != null) {
      config.setClusterName(config.getClusterName() + "-" + sha256(secret).substring(0, 32));
      // Hazelcast prefixes every log line with the cluster name, which admits whoever presents it: keep it out of logs.
      config.setProperty("hazelcast.logging.details.enabled", "false");
    }
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
