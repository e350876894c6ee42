package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.openapi.contract.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the permission table in src/test/resources/permission-matrix.txt against a live server. */
class PermissionMatrixTest {

  private static final List<String> ROLES = List.of("anonymous", "unrelated", "member", "channel_admin", "site_admin",
      "dm_participant", "dm_outsider");
  private static final String DM_ROW = "@dm";

  private static TestSystem system;
  private static final Map<String, JsonObject> users = new LinkedHashMap<>();
  private static Fixture shared;
  private static String channelFile;
  private static String dmFile;
  private static String dmId;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    users.put("unrelated", system.signUp("unrelated@example.com", "Un Related"));
    users.put("member", system.signUp("member@example.com", "Mem Ber"));
    users.put("channel_admin", system.signUp("chadmin@example.com", "Chan Admin"));
    users.put("site_admin", system.signUp("admin@example.com", "Site Admin"));
    users.put("dm_participant", system.signUp("dmp@example.com", "Dee Em"));
    users.put("dm_outsider", system.signUp("dmo@example.com", "Out Sider"));
    users.put("target", system.signUp("target@example.com", "Tar Get"));
    shared = fixture(false);
    dmId = fixture(true).channelId();
    channelFile = attachedFile("member", "/api/chat/channels/" + shared.channelId() + "/messages/send");
    dmFile = attachedFile("dm_participant", "/api/dm/users/" + id("target") + "/messages");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static String token(String role) {
    return users.get(role).getString("token");
  }

  private static String id(String role) {
    return users.get(role).getString("id");
  }

  /**
   * The channel fixture (a private channel by channel_admin with member in it, and a message by member), or for
   * conversation rows a new message by dm_participant in its conversation with target.
   */
  private record Fixture(String channelId, String messageId) {
  }

  private static Fixture fixture(boolean dm) {
    if (dm) {
      JsonObject sent = system.post("/api/dm/users/" + id("target") + "/messages", token("dm_participant"),
          new JsonObject().put("content", "fixture message")).bodyAsJsonObject();
      return new Fixture(sent.getString("dm_channel_id"), sent.getJsonObject("message").getString("id"));
    }
    String channel = system.post("/api/chat/channels", token("channel_admin"), new JsonObject()
            .put("name", "p-" + UUID.randomUUID().toString().substring(0, 8)).put("type", "private"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    system.post("/api/chat/channels/" + channel + "/members", token("channel_admin"),
        new JsonObject().put("user_id", id("member")));
    String message = system.post("/api/chat/channels/" + channel + "/messages/send", token("member"),
        new JsonObject().put("content", "fixture message")).bodyAsJsonObject().getJsonObject("message").getString("id");
    system.post("/api/chat/channels/" + channel + "/messages/" + message + "/reactions", token("member"),
        new JsonObject().put("emoji", "👍"));
    return new Fixture(channel, message);
  }

  /** Uploads a PDF as the role, attaches it to a message sent to {@code sendPath}, and answers the file's path. */
  private static String attachedFile(String role, String sendPath) {
    JsonObject file = UploadsTest.upload(system, "/api/upload/message-file", token(role), "matrix.pdf",
        UploadsTest.file("%PDF-1.7\n".getBytes(), 2_000)).bodyAsJsonObject();
    system.post(sendPath, token(role), new JsonObject().put("content", "with a file").put("attachments",
        new JsonArray().add(new JsonObject().put("name", "matrix.pdf").put("url", file.getString("file_url"))
            .put("key", file.getString("filename")))));
    return UploadsTest.path(file.getString("file_url"));
  }

  private static JsonObject body(String operationId) {
    return switch (operationId) {
      case "register" -> new JsonObject().put("email", "m-" + UUID.randomUUID() + "@example.com")
          .put("password", TestSystem.PASSWORD).put("name", "Matrix Newcomer");
      case "login" -> new JsonObject().put("email", "target@example.com").put("password", TestSystem.PASSWORD);
      case "verifyEmail" -> new JsonObject().put("token", "not-a-token-this-server-issued");
      case "setupTwoFactor" -> new JsonObject().put("password", TestSystem.PASSWORD);
      case "changePassword" -> new JsonObject().put("current_password", "NotTheRightOne1")
          .put("new_password", "NewSecret456");
      case "verifyTwoFactorSetup", "regenerateBackupCodes" -> new JsonObject().put("code", "000000");
      case "disableTwoFactor" -> new JsonObject().put("password", TestSystem.PASSWORD).put("code", "000000");
      case "setMyAvatar" -> new JsonObject().put("avatar_url", "https://example.com/avatar.png");
      case "updateMyProfile" -> new JsonObject().put("status", "online");
      case "createChannel" -> new JsonObject().put("name", "c-" + UUID.randomUUID().toString().substring(0, 8));
      case "addChannelMember" -> new JsonObject().put("user_id", id("target"));
      case "setTyping" -> new JsonObject().put("typing", true);
      case "sendMessage", "postReply", "editMessage", "sendDirectMessage" ->
          new JsonObject().put("content", "matrix text");
      case "addReaction", "removeReaction" -> new JsonObject().put("emoji", "👍");
      case "createIncomingHook" -> new JsonObject().put("name", "Matrix hook");
      case "createBot" -> new JsonObject().put("name", "Matrix bot");
      case "updateBotPermissions" -> new JsonObject().put("actions", new JsonArray().add("sendMessage"));
      case "postIncomingHook" -> new JsonObject().put("text", "matrix hook text");
      default -> null;
    };
  }

  private static String path(Operation operation, String row, Fixture fixture) {
    if ("getFile".equals(operation.getOperationId())) {
      return row.endsWith(DM_ROW) ? dmFile : channelFile;
    }
    String query = switch (operation.getOperationId()) {
      case "searchUsers" -> "?query=mem";
      case "listChannelEvents", "listMyEvents" -> "?after_seq=0";
      case "searchMessages" -> "?q=fixture" + (row.endsWith(DM_ROW) ? "&channel_id=" + fixture.channelId() : "");
      default -> "";
    };
    String path = operation.getOpenAPIPath();
    if (path.contains("{hookId}") || path.contains("{token}")) {
      // a hook of the fixture channel, made by its admin (the secret path posts to it, whoever calls)
      JsonObject hook = system.post("/api/chat/channels/" + fixture.channelId() + "/hooks", token("channel_admin"),
          new JsonObject().put("name", "Matrix hook")).bodyAsJsonObject();
      path = path.replace("{hookId}", hook.getJsonObject("hook").getString("id"))
          .replace("{token}", hook.getString("token"));
    }
    if (path.contains("{botId}")) {
      path = path.replace("{botId}", system.post("/api/bots", token("site_admin"), new JsonObject()
          .put("name", "Matrix bot")).bodyAsJsonObject().getJsonObject("bot").getString("id"));
    }
    return path
        .replace("{channelId}", fixture.channelId())
        .replace("{dmChannelId}", dmId)
        .replace("{messageId}", fixture.messageId())
        .replace("{recipientId}", id("target"))
        .replace("{userId}", id("member"))
        .replace("{metricType}", "cpu") + query;
  }

  private static HttpResponse<Buffer> call(Operation operation, String row, String role) {
    boolean dm = row.endsWith(DM_ROW);
    boolean fresh = operation.getOpenAPIPath().contains("{") || dm;
    Fixture fixture = fresh ? fixture(dm) : shared;
    HttpRequest<Buffer> request = system.http.request(operation.getHttpMethod(), path(operation, row, fixture));
    if (!"anonymous".equals(role)) {
      request.bearerTokenAuthentication(token(role));
    }
    String operationId = operation.getOperationId();
    if ("uploadAvatar".equals(operationId) || "uploadMessageFile".equals(operationId)) {
      return request.sendMultipartForm(MultipartForm.create().binaryFileUpload("file", "matrix.png",
          UploadsTest.file(UploadsTest.PNG, 1_000), "image/png")).await();
    }
    JsonObject body = body(operationId);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  @Test
  @DisplayName("every operation in the permission table answers each kind of caller as the table says")
  void permissionMatrix() throws IOException {
    List<String> failures = new ArrayList<>();
    int cells = 0;
    for (String[] row : rows()) {
      String operationId = row[0].replace(DM_ROW, "");
      Operation operation = system.contract.contract.operation(operationId);
      assertTrue(operation != null, "unknown operation in the table: " + row[0]);
      assertEquals(ROLES.size() + 1, row.length, "a status for every role: " + row[0]);
      for (int i = 0; i < ROLES.size(); i++) {
        if ("-".equals(row[i + 1])) {
          continue;
        }
        String role = ROLES.get(i);
        HttpResponse<Buffer> response = call(operation, row[0], role);
        cells++;
        if ("logout".equals(operationId) && !"anonymous".equals(role)) {
          signInAgain(role);
        }
        int expected = Integer.parseInt(row[i + 1]);
        if (response.statusCode() != expected) {
          failures.add(row[0] + " as " + role + ": expected " + expected + ", got " + response.statusCode() + " "
              + response.bodyAsString());
        }
      }
    }
    Set<String> covered = rows().stream().map(row -> row[0].replace(DM_ROW, "")).collect(Collectors.toSet());
    List<String> missing = system.contract.contract.operations().stream().map(Operation::getOperationId)
        .filter(id -> !covered.contains(id)).sorted().toList();
    assertEquals(List.of(), missing, "operations without a row in the permission table");
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
