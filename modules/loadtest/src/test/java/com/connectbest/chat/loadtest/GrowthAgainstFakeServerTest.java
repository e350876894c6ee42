package com.connectbest.chat.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class GrowthAgainstFakeServerTest {

  private static final List<String> OPS =
      List.of("history", "thread", "pins", "channels", "dms", "send", "read", "reactions", "file", "search");

  private static FakeChatServer server;
  private static String target;

  @TempDir
  Path dir;

  @BeforeAll
  static void start(Vertx vertx) {
    server = new FakeChatServer(vertx);
    target = "http://127.0.0.1:" + server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private record Run(int exitCode, String output) {
  }

  private static Run run(String... args) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int code = LoadTest.run(args, new PrintStream(text, true, StandardCharsets.UTF_8));
    return new Run(code, text.toString(StandardCharsets.UTF_8));
  }

  private Run growth(String prefix, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("growth", "--targets", target, "--prefix", prefix,
        "--stages", "50,200", "--history", "20", "--channels", "3", "--dms", "1", "--filler-users", "4",
        "--filler-channels", "5", "--memberships", "20", "--fill-concurrency", "8", "--concurrency", "2",
        "--warm-up", "100ms", "--duration", "200ms", "--client-threads", "2", "--out", out.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  @DisplayName("growth mode fills the store to each stage and measures all ten hot operations (pins included) there "
      + "without errors")
  void fillsAndMeasuresEachStage() throws IOException {
    Path out = dir.resolve("growth.json");
    Path html = dir.resolve("growth.html");
    Run run = growth("gro", out, "--html", html.toString(), "--max-growth", "1000");
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    JsonObject results = new JsonObject(Files.readString(out));
    JsonArray stages = results.getJsonArray("stages");
    assertEquals(2, stages.size(), run.output());
    assertEquals(49, results.getJsonObject("setup").getLong("setup_messages"),
        "20 history + 10 replies + 2 x 5 in the other channels + 8 direct messages + the file's message");
    for (int i = 0; i < 2; i++) {
      JsonObject stage = stages.getJsonObject(i);
      assertTrue(stage.getJsonObject("fill").getBoolean("complete"), stage.encodePrettily());
      assertTrue(stage.getLong("stored_messages") >= stage.getLong("target"), stage.encodePrettily());
      for (String op : OPS) {
        JsonObject measured = stage.getJsonObject("ops").getJsonObject(op);
        assertTrue(measured.getLong("succeeded") > 0, op + " at stage " + i + ": " + measured.encode());
        assertTrue(measured.getJsonObject("errors").isEmpty(), op + ": " + measured.encode());
        assertTrue(measured.getJsonObject("latency").getDouble("p50_ms") > 0, op);
      }
    }
    assertEquals(20 + 5, stages.getJsonObject(1).getLong("memberships"),
        "all 4 x 5 filler memberships at the last stage, plus the measured user's 3, the peer's and the sender's");
    assertTrue(stages.getJsonObject(1).getJsonObject("ops").getJsonObject("search").containsKey("p50_ratio"));
    assertTrue(results.getJsonObject("growth").getBoolean("passed"));
    assertTrue(run.output().contains("x p50"), run.output());
    assertTrue(Files.readString(html).contains("<svg"), "the report draws p50 and p99 per stage");
  }

  @Test
  @DisplayName("A second run on the same store and accounts file measures a new user, not the first run's with twice its channels")
  void eachRunMeasuresItsOwnUser() throws IOException {
    Path accounts = dir.resolve("accounts.json");
    Path first = dir.resolve("first.json");
    Path second = dir.resolve("second.json");
    assertEquals(LoadTest.OK, growth("again", first, "--accounts-file", accounts.toString()).exitCode());
    Run run = growth("again", second, "--accounts-file", accounts.toString(), "--stored-before", "200");
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    JsonObject firstSetup = new JsonObject(Files.readString(first)).getJsonObject("setup");
    JsonObject secondSetup = new JsonObject(Files.readString(second)).getJsonObject("setup");
    assertNotEquals(firstSetup.getString("measured_user"), secondSetup.getString("measured_user"));
    assertNotEquals(firstSetup.getString("channel_tag"), secondSetup.getString("channel_tag"));
    JsonObject saved = new JsonObject(Files.readString(accounts));
    assertEquals(4 + 2 * 4, saved.size(), "4 fillers, shared, and each run's 4 roles: " + saved.fieldNames());
    assertEquals(4, saved.fieldNames().stream().filter(email -> email.startsWith("again-0")).count());
  }

  @Test
  @DisplayName("A results file re-checked with a tighter --max-growth exits with code 3 and names the operations")
  void tighterGrowthIsMissed() throws IOException {
    Path out = dir.resolve("growth.json");
    Run first = growth("grt", out, "--stages", "50,100");
    assertEquals(LoadTest.OK, first.exitCode(), first.output());
    Run report = run("report", "--in", out.toString(), "--max-growth", "0.001");
    assertEquals(LoadTest.SLO_MISSED, report.exitCode(), report.output());
    assertTrue(report.output().contains("growth objective missed: history at"), report.output());
  }

  @Test
  @DisplayName("Stages that are not ascending numbers are bad usage (code 2)")
  void badStages() {
    Run run = run("growth", "--targets", target, "--stages", "1000,10");
    assertEquals(LoadTest.USAGE, run.exitCode());
    assertTrue(run.output().contains("--stages"), run.output());
  }
}
