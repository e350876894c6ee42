package com.connectbest.chat.app;

import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Refuses configurations that must never serve real users. */
public final class StartupChecks {

  public static final int MIN_SECRET_LENGTH = 32;
  public static final int MIN_CLUSTER_SECRET_LENGTH = 16;

  private StartupChecks() {
  }

  /** Why this configuration must not start, if it must not. */
  public static Optional<String> refusal(Settings settings) {
    if (!"production".equalsIgnoreCase(settings.string("APP_ENV", "development"))) {
      return Optional.empty();
    }
    String secret = settings.jwtSecret();
    String prefix = "Refusing to start with APP_ENV=production: the JWT secret (JWT_SECRET_KEY, else NEXTAUTH_SECRET) ";
    if (settings.string("JWT_SECRET_KEY", null) == null && settings.string("NEXTAUTH_SECRET", null) == null) {
      return Optional.of(prefix + "is not set.");
    }
    if (Settings.DEVELOPMENT_SECRET.equals(secret)) {
      return Optional.of(prefix + "is the public development default.");
    }
    if (secret.length() < MIN_SECRET_LENGTH) {
      return Optional.of(prefix + "is shorter than " + MIN_SECRET_LENGTH + " characters.");
    }
    return Optional.empty();
  }

  /**
   * Why a production cluster node must not start, if it must not: its event bus would be open to any process that
   * reaches it, or its envelopes unsigned or unchecked (see EnvelopeSignature), or Hazelcast open to any member.
   */
  public static Optional<String> clusterRefusal(Settings settings, List<String> verticles) {
    if (!"production".equalsIgnoreCase(settings.string("APP_ENV", "development")) || !settings.bool("CLUSTER", false)) {
      return Optional.empty();
    }
    String prefix = "Refusing to start with APP_ENV=production and CLUSTER=true: ";
    if (!ClusterSupport.clusterTls(settings)) {
      return Optional.of(prefix + "the event bus has no TLS (set CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA; "
          + "docker/cluster-certs.sh makes them).");
    }
    if (verticles.contains(VerticleCatalog.GATEWAY) && settings.string(EnvelopeKeys.PRIVATE_KEY, null) == null) {
      return Optional.of(prefix + "this node runs a gateway but " + EnvelopeKeys.PRIVATE_KEY
          + " (the key that signs request envelopes) is not set.");
    }
    if (verticles.stream().anyMatch(name -> !VerticleCatalog.GATEWAY.equals(name))
        && settings.list(EnvelopeKeys.PUBLIC_KEY).isEmpty()) {
      return Optional.of(prefix + "this node runs services but " + EnvelopeKeys.PUBLIC_KEY
          + " (the key that checks request envelopes) is not set.");
    }
    String secret = settings.string("CLUSTER_SECRET", null);
    if (secret == null || secret.length() < MIN_CLUSTER_SECRET_LENGTH) {
      return Optional.of(prefix + "CLUSTER_SECRET (which Hazelcast members must share) is "
          + (secret == null ? "not set." : "shorter than " + MIN_CLUSTER_SECRET_LENGTH + " characters."));
    }
    return Optional.empty();
  }

  /** Settings that leave a cluster node open, outside production (where {@link #clusterRefusal} refuses them). */
  public static List<String> clusterWarnings(Settings settings) {
    if (!settings.bool("CLUSTER", false)) {
      return List.of();
    }
    List<String> warnings = new ArrayList<>();
    if (!ClusterSupport.clusterTls(settings)) {
      warnings.add("the event bus has no TLS: any process that reaches its port can send and receive");
    }
    if (!EnvelopeKeys.configured(settings)) {
      warnings.add("no envelope keys: services act on any principal a bus message names");
    }
    if (settings.string("CLUSTER_SECRET", null) == null) {
      warnings.add("no CLUSTER_SECRET: any Hazelcast member that reaches CLUSTER_PORT may join");
    }
    return warnings;
  }

  public static void verify(Settings settings, List<String> verticles) {
    verify(settings);
    clusterRefusal(settings, verticles).ifPresent(reason -> {
      throw new StartupFailure(reason);
    });
  }

  public static void verify(Settings settings) {
    refusal(settings).ifPresent(reason -> {
      throw new StartupFailure(reason);
    });
  }
}
