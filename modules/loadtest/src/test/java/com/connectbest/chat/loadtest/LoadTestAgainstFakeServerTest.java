package com.connectbest.chat.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
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
class LoadTestAgainstFakeServerTest {

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

  private record Run(int exitCode, String output, JsonObject results) {
  }

  private Run run(String... args) throws IOException {
    Path out = dir.resolve("results-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--targets")) {
      all.addAll(List.of("--targets", target));
    }
    all.addAll(List.of("--out", out.toString(), "--client-threads", "2", "--drain", "2s"));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int code = LoadTest.run(all.toArray(String[]::new), new PrintStream(text, true, StandardCharsets.UTF_8));
    String output = text.toString(StandardCharsets.UTF_8);
    JsonObject results = Files.exists(out) ? new JsonObject(Files.readString(out)) : null;
    return new Run(code, output, results);
  }

  @Test
  @DisplayName("send mode signs users in, subscribes their sockets and sees every copy of every message arrive")
  void sendDeliversEverything() throws IOException {
    Path html = dir.resolve("report.html");
    Run run = run("send", "--prefix", "e2e", "--users", "6", "--channels", "2", "--rate", "40", "--duration", "1500ms",
        "--ramp-up", "0s", "--slo", "loss=0,duplicates=0,errors=0", "--html", html.toString());
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    JsonObject delivery = run.results().getJsonObject("delivery");
    assertEquals(60, run.results().getJsonObject("counts").getLong("succeeded"));
    assertEquals(180, delivery.getLong("expected"), "each message reaches the 3 members of its channel");
    assertEquals(180, delivery.getLong("delivered"));
    assertEquals(0, delivery.getLong("lost"));
    assertEquals(180, run.results().getJsonObject("latency").getJsonObject("fanout").getLong("count"));
    assertEquals(6, run.results().getJsonObject("sockets").getLong("open_at_end"));
    assertTrue(run.output().contains("sent"), "prints progress lines");
    assertTrue(Files.readString(html).contains("<svg"), "the report draws its charts inline");
  }

  @Test
  @DisplayName("Lost and duplicated events are counted, and a missed objective exits with code 3 naming it")
  void lossAndDuplicatesMissTheObjective() throws IOException {
    server.resetSendCount();
    server.dropEvery = 5;
    server.duplicateEvery = 7;
    try {
      Run run = run("send", "--prefix", "lossy", "--users", "4", "--channels", "1", "--pattern", "all", "--rate", "40",
          "--duration", "1s", "--ramp-up", "0s", "--slo", "loss=0");
      assertEquals(LoadTest.SLO_MISSED, run.exitCode(), run.output());
      JsonObject delivery = run.results().getJsonObject("delivery");
      assertEquals(8 * 4, delivery.getLong("lost"), "every 5th of 40 messages, for 4 subscribers");
      assertEquals(4 * 4, delivery.getLong("duplicates"), "every 7th but the 35th, for 4 subscribers");
      assertTrue(run.output().contains("SLO missed: loss <= 0"), run.output());
    } finally {
      server.dropEvery = 0;
      server.duplicateEvery = 0;
    }
  }

  @Test
  @DisplayName("A send answered 504 is retried with its idempotency key, so it is stored and delivered exactly once")
  void retriesReuseTheKey() throws IOException {
    server.resetSendCount();
    server.timeoutEvery = 4;
    int withoutKey = server.sendsWithoutKey.get();
    try {
      Run run = run("send", "--prefix", "retry", "--users", "4", "--channels", "1", "--pattern", "all", "--rate", "40",
          "--duration", "1s", "--ramp-up", "0s", "--slo", "loss=0,duplicates=0");
      assertEquals(LoadTest.OK, run.exitCode(), run.output());
      JsonObject delivery = run.results().getJsonObject("delivery");
      assertEquals(10, delivery.getLong("sends_retried"), "every 4th of 40 sends was answered 504");
      assertEquals(10, delivery.getLong("sends_replayed"), "each retry was a replay of the stored message");
      assertEquals(0, delivery.getLong("duplicates"));
      assertEquals(0, delivery.getLong("lost"));
      assertEquals(withoutKey, server.sendsWithoutKey.get(), "every send carried a key");
      assertTrue(run.output().contains("sends retried 10 (replayed 10)"), run.output());
    } finally {
      server.timeoutEvery = 0;
    }
  }

  @Test
  @DisplayName("A second run finds the users and channels of the first (409s) and reuses cached tokens")
  void rerunReusesAccounts() throws IOException {
    String accounts = dir.resolve("accounts.json").toString();
    String[] args = {"send", "--prefix", "again", "--users", "3", "--channels", "1", "--rate", "20", "--duration",
        "500ms", "--ramp-up", "0s", "--accounts-file", accounts, "--slo", "loss=0,errors=0"};
    assertEquals(LoadTest.OK, run(args).exitCode());
    Run second = run(args);
    assertEquals(LoadTest.OK, second.exitCode(), second.output());
    assertTrue(!second.output().contains("signing in"), "tokens came from the accounts file");
  }

  @Test
  @DisplayName("With two targets, users alternate between them and fan-out is split into same-node and cross-node")
  void twoTargets() throws IOException {
    String other = target.replace("127.0.0.1", "localhost");
    Run run = run("send", "--targets", target + "," + other, "--prefix", "two", "--users", "4", "--channels", "1",
        "--pattern", "all", "--rate", "20", "--duration", "1s", "--ramp-up", "0s", "--slo", "loss=0");
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    JsonObject latency = run.results().getJsonObject("latency");
    long same = latency.getJsonObject("fanout_same_node").getLong("count");
    long cross = latency.getJsonObject("fanout_cross_node").getLong("count");
    assertEquals(latency.getJsonObject("fanout").getLong("count"), same + cross);
    assertEquals(same, cross, "two receivers on each node, the sender included");
  }

  @Test
  @DisplayName("http mode in a closed loop reports the throughput of a trivial endpoint")
  void httpClosedLoop() throws IOException {
    Run run = run("http", "--concurrency", "4", "--duration", "1s", "--slo", "errors=0,throughput=10");
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    assertTrue(run.results().getJsonObject("latency").getJsonObject("http").getLong("count") > 10);
  }

  @Test
  @DisplayName("idle mode holds anonymous and signed-in sockets open while probing HTTP")
  void idleHoldsSockets() throws IOException {
    Run run = run("idle", "--prefix", "idle", "--connections", "20", "--users", "2", "--rate", "10",
        "--duration", "1s");
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    assertEquals(20, run.results().getJsonObject("sockets").getLong("open_at_end"));
    assertTrue(run.results().getJsonObject("latency").getJsonObject("probe").getLong("count") >= 9);
  }

  @Test
  @DisplayName("team mode runs the whole action mix with sped-up rates and no errors")
  void teamProfile() throws IOException {
    Run run = run("team", "--prefix", "team", "--users", "10", "--team-size", "5", "--team-speed", "3000",
        "--duration", "1500ms", "--ramp-up", "0s", "--slo", "errors=0,loss=0");
    assertEquals(LoadTest.OK, run.exitCode(), run.output());
    JsonObject latency = run.results().getJsonObject("latency");
    for (String action : List.of("post", "typing", "read", "history", "channels", "react", "session")) {
      assertTrue(latency.getJsonObject(action).getLong("count") > 0, action + " happened");
    }
  }

  @Test
  @DisplayName("Bad usage exits with code 2 and says what is wrong")
  void badUsage() throws IOException {
    Run run = run("send", "--rate", "fast");
    assertEquals(LoadTest.USAGE, run.exitCode());
    assertTrue(run.output().contains("--rate"), run.output());
  }
}
