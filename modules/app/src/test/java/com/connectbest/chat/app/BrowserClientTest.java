package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The /app page and its client library in headless Chromium (modules/web-client/test/browser.mjs, playwright-core):
 * two users chatting live, a page that loses its network during 200 messages, and every SockJS transport; and the
 * library's resume logic under Node (modules/web-client/test/client.test.mjs).
 * .ci/run installs Chromium and node_modules; without them this test is skipped, saying what is missing.
 */
class BrowserClientTest {

  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

  private static TestSystem system;
  private static Path webClient;

  @BeforeAll
  static void start() {
    webClient = webClientModule();
    system = new TestSystem(new JsonObject());
  }

  /** Why the browser cannot run here, or null. */
  private static String missing() {
    if (!Files.isExecutable(CHROMIUM)) {
      return "Chromium is not installed at " + CHROMIUM + " (apt-get install -y chromium; .ci/run does it)";
    }
    if (!Files.isDirectory(webClient.resolve("node_modules/playwright-core"))) {
      return "playwright-core is not installed (npm ci in modules/web-client; .ci/run does it)";
    }
    return null;
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  /** modules/web-client, found from the working directory (modules/app under Maven, or the repository root). */
  private static Path webClientModule() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("modules/web-client");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("modules/web-client not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  @DisplayName("the gateway serves the chat page and its library at /app/, uncached, and redirects /app there")
  void servesTheApp() {
    HttpResponse<Buffer> bare = system.get("/app", null);
    assertEquals(302, bare.statusCode());
    assertEquals("/app/", bare.getHeader("Location"));
    HttpResponse<Buffer> page = system.get("/app/", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
    assertTrue(page.bodyAsString().contains("vendor/vertx-eventbus.js"));
    for (String file : List.of("chat-client.js", "app.js", "vendor/sockjs.min.js", "vendor/vertx-eventbus.js")) {
      HttpResponse<Buffer> script = system.get("/app/" + file, null);
      assertEquals(200, script.statusCode(), file);
      assertTrue(script.getHeader("Content-Type").startsWith("text/javascript"), file); // ES modules need it
      String cache = script.getHeader("Cache-Control");
      assertTrue(cache == null || !cache.contains("immutable"), file + ": " + cache);
    }
    assertEquals(404, system.get("/app/missing.js", null).statusCode());
  }

  @Test
  @DisplayName("the client library hands each event on once and in seq order when live events overlap a resume, "
      + "fills a seq gap from the log, drops a refused handler so that a new register is sent, and reports a 410")
  void libraryResumeLogic() throws IOException, InterruptedException {
    Process node;
    try {
      node = new ProcessBuilder(List.of("node", "--test", "test/client.test.mjs")).directory(webClient.toFile())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("skipped: Node is not installed (" + e.getMessage() + "; .ci/run installs it)");
      return;
    }
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(1, TimeUnit.MINUTES), output);
    assertEquals(0, node.exitValue(), output);
    assertTrue(output.contains("# pass 4"), output);
  }

  @Test
  @DisplayName("in Chromium, two users chat live on /app, a page that lost its network shows all 200 messages of the "
      + "outage once and in order, and each SockJS transport delivers")
  void browserScenarios() throws IOException, InterruptedException {
    Assumptions.assumeTrue(missing() == null, () -> "skipped: " + missing());
    JsonObject ann = system.signUp("ann.browser@example.com", "Ann Browser");
    JsonObject bob = system.signUp("bob.browser@example.com", "Bob Browser");
    HttpResponse<Buffer> created = system.post("/api/chat/channels", ann.getString("token"),
        new JsonObject().put("name", "browser-team").put("type", "private"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String channel = created.bodyAsJsonObject().getJsonObject("channel").getString("id");
    HttpResponse<Buffer> added = system.post("/api/chat/channels/" + channel + "/members", ann.getString("token"),
        new JsonObject().put("user_id", bob.getString("id")));
    assertTrue(added.statusCode() < 300, added.bodyAsString());

    JsonObject setup = new JsonObject().put("channel", channel).put("password", TestSystem.PASSWORD)
        .put("ann", ann).put("bob", bob);
    Path log = Files.createTempFile("browser-test", ".log");
    Process node = new ProcessBuilder(List.of("node", "test/browser.mjs", "http://127.0.0.1:" + system.port,
        setup.encode()))
        .directory(webClient.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean finished = node.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      node.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    System.out.print(output);
    assertTrue(finished, "the browser test did not finish in 4 minutes:\n" + output);
    assertEquals(0, node.exitValue(), output);
    for (String scenario : List.of("PASS two users", "PASS reconnect during 200 messages",
        "PASS transport websocket", "PASS transport xhr-streaming", "PASS transport xhr-polling",
        "PASS transport eventsource")) {
      assertTrue(output.contains(scenario), scenario + " missing in:\n" + output);
    }
  }
}
