package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Entry point: parse, run the chosen mode, report, and exit with a code scripts can check. */
public final class LoadTest {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int SLO_MISSED = 3;

  private LoadTest() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    if (args.length > 0 && "chaos".equals(args[0])) {
      try {
        return Chaos.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
      } catch (Exception e) {
        out.println("chaos run failed: " + e);
        return FAILED;
      }
    }
    Options options;
    Slo slo;
    try {
      options = Options.parse(args).validate();
      slo = Slo.parse(options.string("slo", null));
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage() + " (see --help)");
      return USAGE;
    }
    try {
      return switch (options.mode()) {
        case "help" -> {
          out.print(Help.text());
          yield OK;
        }
        case "report" -> report(options, slo, out);
        case "growth" -> GrowthScenario.run(options, out);
        default -> runLoad(options, slo, out);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("interrupted");
      return FAILED;
    } catch (RuntimeException | IOException e) {
      out.println("run failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return FAILED;
    }
  }

  private static int runLoad(Options options, Slo slo, PrintStream out) throws InterruptedException, IOException {
    Scenario scenario = switch (options.mode()) {
      case "send" -> new SendScenario();
      case "idle" -> new IdleScenario();
      case "http" -> new HttpScenario();
      default -> new TeamScenario();
    };
    JsonObject results;
    try (Harness harness = new Harness(options, out)) {
      results = scenario.run(harness);
    }
    return finish(results, options, slo, out);
  }

  private static int report(Options options, Slo slo, PrintStream out) throws IOException {
    String in = options.string("in", null);
    if (in == null) {
      out.println("error: report needs --in results.json (see --help)");
      return USAGE;
    }
    JsonObject results = new JsonObject(Files.readString(Path.of(in)));
    if ("growth".equals(results.getString("mode"))) {
      return GrowthReport.finish(results, options, out);
    }
    if (slo.criteria().isEmpty() && results.getJsonObject("slo") != null) {
      slo = Slo.parse(results.getJsonObject("slo").getString("spec"));
    }
    return finish(results, options, slo, out);
  }

  private static int finish(JsonObject results, Options options, Slo slo, PrintStream out) throws IOException {
    List<Slo.Check> checks = slo.evaluate(results);
    boolean passed = checks.stream().allMatch(Slo.Check::passed);
    results.put("slo", new JsonObject().put("spec", options.string("slo",
            results.getJsonObject("slo", new JsonObject()).getString("spec", "")))
        .put("passed", passed).put("checks", Slo.toJson(checks)));
    out.print(SummaryTable.render(results));
    write(options.string("out", null), results.encodePrettily(), out);
    write(options.string("html", null), HtmlReport.render(results), out);
    if (!passed) {
      checks.stream().filter(check -> !check.passed())
          .forEach(check -> out.println("SLO missed: " + check.message()));
      return SLO_MISSED;
    }
    return OK;
  }

  private static void write(String file, String content, PrintStream out) throws IOException {
    if (file != null) {
      Path path = Path.of(file);
      if (path.toAbsolutePath().getParent() != null) {
        Files.createDirectories(path.toAbsolutePath().getParent());
      }
      Files.writeString(path, content);
      out.println("wrote " + path);
    }
  }
}
