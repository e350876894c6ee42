package com.connectbest.chat.app;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Turns the command line into configuration overrides (VERTICLES, CLUSTER, CONFIG_FILE). */
public final class CommandLine {

  public static final String USAGE = """
      Usage: java -jar connectbest-chat.jar [--verticles NAMES] [--cluster] [--conf FILE]
        --verticles NAMES  comma list of %s to deploy on this node (default: all, or VERTICLES)
        --cluster          join the Hazelcast cluster described by CLUSTER_* settings (or CLUSTER=true)
        --conf FILE        configuration file (default: CONFIG_FILE, else conf/config.json)
      Every setting of the configuration file can be overridden by an environment variable of the same name."""
      .formatted(String.join(",", VerticleCatalog.names()));

  private CommandLine() {
  }

  /** The overrides, or {@code null} when help was asked for. */
  public static JsonObject parse(String... args) {
    JsonObject overrides = new JsonObject();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
      switch (name) {
        case "-h", "--help" -> {
          return null;
        }
        case "--cluster" -> overrides.put("CLUSTER", inline == null || Boolean.parseBoolean(inline));
        case "--verticles" -> {
          String value = inline != null ? inline : valueAfter(args, i++, name);
          VerticleCatalog.resolve(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
          overrides.put("VERTICLES", value);
        }
        case "--conf" -> overrides.put("CONFIG_FILE", inline != null ? inline : valueAfter(args, i++, name));
        default -> throw new StartupFailure("Unknown argument '" + arg + "'.\n" + USAGE);
      }
    }
    return overrides;
  }

  private static String valueAfter(String[] args, int index, String option) {
    if (index + 1 >= args.length || args[index + 1].startsWith("--")) {
      throw new StartupFailure(option + " needs a value.\n" + USAGE);
    }
    return args[index + 1];
  }
}
