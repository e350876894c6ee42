package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line: a mode, then {@code --name value} or {@code --name=value} pairs; see {@link Help}. */
final class Options {

  static final Set<String> MODES = Set.of("send", "idle", "http", "team", "growth", "report");
  private static final Set<String> FLAGS = Set.of("quiet", "no-sockets", "fresh-login", "help");
  private static final Set<String> KNOWN = Set.of("targets", "users", "channels", "pattern", "rate", "concurrency",
      "duration", "ramp-up", "drain", "path", "connections", "sockets", "out", "html", "in", "slo", "prefix",
      "password", "timeout", "client-threads", "max-in-flight", "setup-concurrency", "accounts-file", "team-size",
      "team-speed", "seed", "message-bytes", "server-pid", "channel-prefix", "quiet", "no-sockets", "fresh-login",
      "help", "pool-size", "send-retries", "sockets-per-user", "metrics-token",
      // growth mode
      "stages", "max-growth", "warm-up", "requests", "history", "dms", "memberships", "filler-users",
      "filler-channels", "fill-concurrency", "fill-budget", "settle", "stored-before", "ops");

  private final String mode;
  private final Map<String, String> values;

  private Options(String mode, Map<String, String> values) {
    this.mode = mode;
    this.values = values;
  }

  static Options parse(String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      return new Options("help", Map.of());
    }
    String mode = args[0];
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("unknown mode '" + mode + "'; use one of send, idle, http, team, growth, report");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (FLAGS.contains(name)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      values.put(name, value);
    }
    return new Options(mode, values);
  }

  private static final Set<String> INTEGERS = Set.of("users", "channels", "concurrency", "connections",
      "client-threads", "max-in-flight", "setup-concurrency", "team-size", "seed", "message-bytes", "pool-size",
      "requests", "history", "dms", "memberships", "filler-users", "filler-channels", "fill-concurrency",
      "stored-before");
  private static final Set<String> DECIMALS = Set.of("rate", "team-speed", "max-growth");
  private static final Set<String> DURATIONS = Set.of("duration", "ramp-up", "drain", "timeout", "warm-up",
      "fill-budget", "settle");

  /** Checks every value's form up front, so that a typo is a usage error before any load is sent. */
  Options validate() {
    values.keySet().forEach(name -> {
      if (INTEGERS.contains(name) && integer(name, 0) < 0) {
        throw new IllegalArgumentException("--" + name + " must not be negative");
      }
      if (DECIMALS.contains(name) && decimal(name, 1) <= 0) {
        throw new IllegalArgumentException("--" + name + " must be positive");
      }
      if (DURATIONS.contains(name)) {
        duration(name, "0s");
      }
    });
    if (!mode().equals("help") && !mode().equals("report")) {
      targets();
    }
    if (values.containsKey("pattern") && !Set.of("mod", "all").contains(values.get("pattern"))) {
      throw new IllegalArgumentException("--pattern must be mod or all");
    }
    if (values.containsKey("stages")) {
      GrowthPlan.stages(values.get("stages"));
    }
    if (mode.equals("growth") && values.containsKey("slo")) {
      throw new IllegalArgumentException("growth checks --max-growth, not --slo");
    }
    return this;
  }

  /** The same options with {@code name} set to {@code value} unless it was given. */
  Options withDefault(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.putIfAbsent(name, value);
    return new Options(mode, copy);
  }

  String mode() {
    return values.containsKey("help") ? "help" : mode;
  }

  List<URI> targets() {
    List<URI> targets = new ArrayList<>();
    for (String target : string("targets", "http://127.0.0.1:5001").split(",")) {
      URI uri = URI.create(target.trim().replaceAll("/+$", ""));
      if (uri.getHost() == null || !"http".equals(uri.getScheme())) {
        throw new IllegalArgumentException("--targets wants http://host:port URLs, not " + target);
      }
      targets.add(uri);
    }
    return targets;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    String text = values.get(name);
    try {
      return text == null ? fallback : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " wants a whole number, not " + text);
    }
  }

  double decimal(String name, double fallback) {
    String text = values.get(name);
    try {
      return text == null ? fallback : Double.parseDouble(text.trim().replace("/s", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " wants a number, not " + text);
    }
  }

  Duration duration(String name, String fallback) {
    return Durations.parse(string(name, fallback));
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  /** Whether the run opens one bridge socket per user ({@code --no-sockets} or {@code --sockets false} turn it off). */
  boolean sockets() {
    return !flag("no-sockets") && Boolean.parseBoolean(values.getOrDefault("sockets", "true"));
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("mode", mode);
    values.forEach((name, value) -> json.put(name, name.equals("password") ? "***" : value));
    return json;
  }
}
