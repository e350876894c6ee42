package com.connectbest.chat.app;

import com.connectbest.chat.auth.AuthVerticle;
import com.connectbest.chat.channels.ChannelsVerticle;
import com.connectbest.chat.dms.DmsVerticle;
import com.connectbest.chat.gateway.GatewayVerticle;
import com.connectbest.chat.messages.MessagesVerticle;
import com.connectbest.chat.metrics.MetricsVerticle;
import com.connectbest.chat.uploads.UploadsVerticle;
import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The verticles a node can run, by the names used in --verticles and VERTICLES. */
public final class VerticleCatalog {

  public static final String GATEWAY = "gateway";

  private static final Map<String, Supplier<Deployable>> VERTICLES = new LinkedHashMap<>();

  static {
    VERTICLES.put(GATEWAY, GatewayVerticle::new);
    VERTICLES.put("auth", AuthVerticle::new);
    VERTICLES.put("channels", ChannelsVerticle::new);
    VERTICLES.put("messages", MessagesVerticle::new);
    VERTICLES.put("dms", DmsVerticle::new);
    VERTICLES.put("uploads", UploadsVerticle::new);
    VERTICLES.put("metrics", MetricsVerticle::new);
  }

  private VerticleCatalog() {
  }

  /** Whether any of these verticles uses the store: every service does, the gateway alone does not. */
  public static boolean usesStore(List<String> names) {
    return names.stream().anyMatch(name -> !GATEWAY.equals(name));
  }

  public static List<String> names() {
    return List.copyOf(VERTICLES.keySet());
  }

  /** The requested names in catalog order without duplicates; all of them when none is requested. */
  public static List<String> resolve(List<String> requested) {
    List<String> unknown = requested.stream().map(String::trim)
        .filter(name -> !VERTICLES.containsKey(name)).distinct().toList();
    if (!unknown.isEmpty()) {
      throw new StartupFailure("Unknown verticle name(s) " + unknown + " in --verticles / VERTICLES; known names: "
          + String.join(",", VERTICLES.keySet()));
    }
    if (requested.isEmpty()) {
      return names();
    }
    List<String> chosen = new ArrayList<>(VERTICLES.keySet());
    chosen.retainAll(requested.stream().map(String::trim).toList());
    return List.copyOf(chosen);
  }

  public static Supplier<Deployable> factory(String name) {
    Supplier<Deployable> factory = VERTICLES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("not a verticle name: " + name);
    }
    return factory;
  }
}
