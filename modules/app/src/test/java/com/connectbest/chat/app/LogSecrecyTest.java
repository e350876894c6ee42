package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every log line, at every level, is searched for the passwords, tokens and secrets a session handled. */
class LogSecrecyTest {

  private static final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private static final Map<String, Level> previousLevels = new HashMap<>();
  private static TestSystem system;
  private static Appender<ILoggingEvent> console;

  @BeforeAll
  static void start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    captured.setContext(context);
    captured.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    console = root.getAppender("CONSOLE");
    root.detachAppender(console);
    root.addAppender(captured);
    for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "access", "com.connectbest", "io.vertx")) {
      previousLevels.put(name, context.getLogger(name).getLevel());
      context.getLogger(name).setLevel(Level.DEBUG);
    }
    system = new TestSystem(new JsonObject());
  }

  @AfterAll
  static void stop() {
    system.close();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(captured);
    if (console != null) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);
    }
    previousLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  @Test
  @DisplayName("no password, token, 2FA secret or signing key ever reaches the log, whatever the outcome")
  void secretsStayOutOfLogs() {
    List<String> secrets = new ArrayList<>(List.of(TestSystem.PASSWORD, TestSystem.SECRET, "WrongPassword9",
        "NewSecret456"));
    JsonObject user = system.signUp("quiet@example.com", "Qui Et");
    String token = user.getString("token");
    secrets.add(token);
    system.get("/api/auth/me", token);
    system.post("/api/auth/login", null, new JsonObject().put("email", "quiet@example.com")
        .put("password", "WrongPassword9"));
    system.get("/api/auth/me?access_token=" + token, null);
    system.get("/api/auth/me", token.substring(0, token.length() - 3) + "abc");
    JsonObject setup = system.post("/api/2fa/setup", token, new JsonObject().put("password", TestSystem.PASSWORD))
        .bodyAsJsonObject();
    secrets.add(setup.getString("secret").replace(" ", ""));
    try (BridgeClient socket = new BridgeClient(system.vertx, system.port)) {
      socket.register(Addresses.user(user.getString("id")), token);
      socket.register(Addresses.user("0123456789abcdef01234567"), token);
      socket.next(1000);
    }
    JsonObject changed = system.post("/api/users/me/password", token, new JsonObject()
        .put("current_password", TestSystem.PASSWORD).put("new_password", "NewSecret456")).bodyAsJsonObject();
    secrets.add(changed.getString("token"));

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(captured.list)) {
      lines.add(event.getLoggerName() + " " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())));
    }
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("access ")), "the access log was not captured");
    List<String> leaks = new ArrayList<>();
    for (String line : lines) {
      for (String secret : secrets) {
        if (line.contains(secret)) {
          leaks.add(line);
        }
      }
    }
    assertEquals(List.of(), leaks, "secrets in the log");
    System.out.println("log secrecy: " + lines.size() + " log lines checked against " + secrets.size() + " secrets");
  }
}
