package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the permission table in src/test/resources/permission-matrix.txt against a live server. */
class PermissionMatrixTest {

  private static final List<String> ROLES = List.of("anonymous", "unrelated", "member", "channel_admin", "site_admin");

  private static TestSystem system;
  private static final Map<String, JsonObject> users = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    users.put("unrelated", system.signUp("unrelated@example.com", "Un Related"));
    users.put("member", system.signUp("member@example.com", "Mem Ber"));
    users.put("channel_admin", system.signUp("chadmin@example.com", "Chan Admin"));
    users.put("site_admin", system.signUp("admin@example.com", "Site Admin"));
    users.put("target", system.signUp("target@example.com", "Tar Get"));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  /** A private channel by channel_admin with member in it, and a message by member. */
  private record Fixture(String channelId, String messageId) {
  }

  private static Fixture fixture() {
    String admin = users.get("channel_admin").getString("token");
    String channel = system.post("/api/chat/channels", admin, new JsonObject()
            .put("name", "p-" + UUID.randomUUID().toString().substring(0, 8)).put("type", "private"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    system.post("/api/chat/channels/" + channel + "/members", admin,
        new JsonObject().put("user_id", users.get("member").getString("id")));
    String message = system.post("/api/chat/channels/" + channel + "/messages/send", users.get("member").getString("token"),
        new JsonObject().put("content", "fixture message")).bodyAsJsonObject().getJsonObject("message").getString("id");
    system.post("/api/chat/channels/" + channel + "/messages/" + message + "/reactions",
        users.get("member").getString("token"), new JsonObject().put("emoji", "👍"));
    return new Fixture(channel, message);
  }

  private static JsonObject body(String operationId) {
    return switch (operationId) {
      case "updateMyProfile" -> new JsonObject().put("status", "online");
      case "createChannel" -> new JsonObject().put("name", "c-" + UUID.randomUUID().toString().substring(0, 8));
      case "addChannelMember" -> new JsonObject().put("user_id", users.get("target").getString("id"));
      case "setTyping" -> new JsonObject().put("typing", true);
      case "sendMessage", "postReply", "editMessage" -> new JsonObject().put("content", "matrix text");
      case "addReaction", "removeReaction" -> new JsonObject().put("emoji", "👍");
      default -> null;
    };
  }

  private static String path(Operation operation, Fixture fixture) {
    String query = switch (operation.getOperationId()) {
      case "searchUsers" -> "?query=mem";
      case "searchMessages" -> "?q=fixture";
      default -> "";
    };
    return operation.getOpenAPIPath()
        .replace("{channelId}", fixture.channelId())
        .replace("{messageId}", fixture.messageId())
        .replace("{userId}", users.get("member").getString("id")) + query;
  }

  @Test
  @DisplayName("every operation in the permission table answers each kind of caller as the table says")
  void permissionMatrix() throws IOException {
    List<String> failures = new ArrayList<>();
    int cells = 0;
    for (String[] row : rows()) {
      Operation operation = system.contract.contract.operation(row[0]);
      assertTrue(operation != null, "unknown operation in the table: " + row[0]);
      for (int i = 0; i < ROLES.size(); i++) {
        if ("-".equals(row[i + 1])) {
          continue;
        }
        String role = ROLES.get(i);
        Fixture fixture = fixture();
        HttpRequest<Buffer> request = system.http.request(operation.getHttpMethod(), path(operation, fixture));
        if (!"anonymous".equals(role)) {
          request.bearerTokenAuthentication(users.get(role).getString("token"));
        }
        JsonObject body = body(row[0]);
        HttpResponse<Buffer> response = (body == null ? request.send() : request.sendJsonObject(body)).await();
        cells++;
        if ("logout".equals(row[0]) && !"anonymous".equals(role)) {
          signInAgain(role);
        }
        int expected = Integer.parseInt(row[i + 1]);
        if (response.statusCode() != expected) {
          failures.add(row[0] + " as " + role + ": expected " + expected + ", got " + response.statusCode() + " "
              + response.bodyAsString());
        }
      }
    }
    System.out.println("permission matrix: " + cells + " cells");
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /** A sign-out revokes the role's tokens: the rest of the table needs a fresh one. */
  private static void signInAgain(String role) {
    String token = system.post("/api/auth/login", null, new JsonObject().put("email", users.get(role).getString("email"))
        .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
    users.get(role).put("token", token);
  }

  static List<String[]> rows() throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        PermissionMatrixTest.class.getResourceAsStream("/permission-matrix.txt"), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String trimmed = line.trim();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          rows.add(trimmed.split("\\s+"));
        }
      }
    }
    return rows;
  }
}
