package com.connectbest.chat.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * ClusterIT's whole scenario (live events across gateways, node loss, a replacement service node) with the event bus
 * over mutual TLS, signed envelopes and a cluster secret: the settings a production cluster must have. ClusterIT's
 * setup adds {@link #secureSettings()} to every node when it runs for this class.
 */
class ClusterTlsIT extends ClusterIT {

  /** A fresh cluster CA with one node certificate (all nodes share it), envelope keys and a cluster secret. */
  static Map<String, String> secureSettings() throws IOException {
    Path dir = Files.createTempDirectory("connectbest-cluster-tls-it");
    Map<String, String> secure = new HashMap<>(ClusterCerts.authority(dir, "cluster-ca").issue("node").settings());
    secure.putAll(ClusterCerts.envelopeKeys(dir, "envelope"));
    secure.put("CLUSTER_SECRET", "cluster-tls-it-secret-0123456789");
    return secure;
  }
}
