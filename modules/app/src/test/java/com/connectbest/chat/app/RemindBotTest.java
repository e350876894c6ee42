package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Node.js example bot (modules/bots-example), run with {@code node} against a system with the bot bridge on. */
class RemindBotTest {

  private static final long WAIT_MS = 10_000;
  private static final Path BOT = Path.of("..", "bots-example", "remind-bot.js");

  private static TestSystem system;
  private static int bridgePort;

  @BeforeAll
  static void start() {
    bridgePort = TestSystem.freePort();
    system = new TestSystem(new JsonObject().put("BOT_BRIDGE_PORT", bridgePort));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static boolean nodeInstalled() {
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  @DisplayName("the Node.js bot hears '/remind me in 1s …' and its answer arrives over REST and over SockJS")
  void remindsOverTheBridge() throws Exception {
    assumeTrue(nodeInstalled(), "node is not installed (.ci/run installs it)");
    assertTrue(Files.exists(BOT), BOT.toAbsolutePath().toString());
    JsonObject admin = system.signUp("admin@example.com", "Site Admin");
    JsonObject user = system.signUp("remind-me@example.com", "Ada");
    JsonObject bot = BotBridgeTest.botInChannel(system, admin, user, "Reminder");
    String channel = bot.getString("channel");

    ProcessBuilder builder = new ProcessBuilder("node", BOT.toString()).redirectErrorStream(true);
    builder.environment().put("BOT_BRIDGE_PORT", String.valueOf(bridgePort));
    builder.environment().put("BOT_TOKEN", bot.getString("token"));
    builder.environment().put("CHANNEL_IDS", channel);
    Process process = builder.start();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      assertEquals("registered " + Addresses.channel(channel), awaitLine(lines, "registered"),
          "the bot did not register");
      socket.register(Addresses.channel(channel), user.getString("token"));
      assertTrue(socket.awaitRegistered(Addresses.channel(channel), WAIT_MS));

      assertEquals(201, system.post("/api/chat/channels/" + channel + "/messages/send", user.getString("token"),
          new JsonObject().put("content", "/remind me in 1s stretch")).statusCode());

      JsonObject answer = null;
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (answer == null && System.currentTimeMillis() < deadline) {
        JsonObject frame = socket.nextEvent("new_message", deadline - System.currentTimeMillis());
        if (frame != null && frame.getJsonObject("body").getJsonObject("message").getBoolean("is_bot", false)) {
          answer = frame.getJsonObject("body").getJsonObject("message");
        }
      }
      assertNotNull(answer, "no answer over SockJS; bot output: " + lines);
      assertEquals("⏰ Reminder for Ada: stretch", answer.getString("content"));
      assertEquals("Reminder", answer.getString("bot_name"));

      JsonArray history = system.get("/api/chat/channels/" + channel + "/messages", user.getString("token"))
          .bodyAsJsonObject().getJsonArray("messages");
      String answerId = answer.getString("id");
      assertTrue(history.stream().map(JsonObject.class::cast).anyMatch(m -> answerId.equals(m.getString("id"))
          && m.getBoolean("is_bot")), history.encode());
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String awaitLine(LinkedBlockingQueue<String> lines, String prefix) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    for (long left = WAIT_MS; left > 0; left = deadline - System.currentTimeMillis()) {
      String line = lines.poll(left, TimeUnit.MILLISECONDS);
      if (line == null) {
        return null;
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }
}
