package com.connectbest.chat.common;

import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * This server's public base URL, for links in responses: {@code PUBLIC_URL} when set; else derived from the address
 * the HTTP server really listens on (so {@code PORT=0} or a changed {@code PORT} gives working links), which the
 * gateway records in this JVM once it listens. A node without a gateway falls back to {@code HOST}/{@code PORT}:
 * clusters behind a load balancer should set {@code PUBLIC_URL}.
 */
public final class PublicUrl {

  private static final String NODE_MAP = "connectbest.node";
  private static final String HTTP_PORT = "http_port";

  private PublicUrl() {
  }

  /** Called by the gateway once its server listens. */
  public static void recordListenPort(Vertx vertx, int port) {
    vertx.sharedData().getLocalMap(NODE_MAP).put(HTTP_PORT, port);
  }

  /** The base URL without a trailing slash, resolved at each call (the gateway may start after the caller). */
  public static Supplier<String> of(Vertx vertx, Settings settings) {
    String configured = settings.string("PUBLIC_URL", null);
    if (configured != null) {
      String fixed = configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
      return () -> fixed;
    }
    String host = host(settings.string("HOST", "0.0.0.0"));
    int configuredPort = settings.integer("PORT", 5001);
    return () -> {
      Object port = vertx.sharedData().getLocalMap(NODE_MAP).get(HTTP_PORT);
      return "http://" + host + ":" + (port instanceof Integer listening ? listening : configuredPort);
    };
  }

  /** A wildcard listen address is reachable as localhost; an IPv6 literal needs brackets in a URL. */
  private static String host(String listen) {
    if (listen.equals("0.0.0.0") || listen.equals("::") || listen.equals("[::]")) {
      return "localhost";
    }
    return listen.contains(":") && !listen.startsWith("[") ? "[" + listen + "]" : listen;
  }
}
