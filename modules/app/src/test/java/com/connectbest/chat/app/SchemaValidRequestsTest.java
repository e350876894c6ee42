package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Property test of the whole contract: for every operation in openapi.yaml, random requests that the contract
 * accepts (path, query, header parameters and body drawn by {@link ContractValues} from their schemas and checked
 * against them; path ids name real resources the test created, so that the server gets past its 404s), sent as a
 * signed-in user and, where that user is refused with 403, as an admin. A schema-valid request must never get a 5xx,
 * and may get a 400 only for a business rule that the contract lists for that operation under
 * {@code x-business-rules}; every answer must match the operation's response schemas. Seeded, so a failure names a
 * request that reproduces it.
 */
class SchemaValidRequestsTest {

  /** Requests per operation and the seed; -Dcontract.tries and -Dcontract.seed explore further. */
  private static final int TRIES = Integer.getInteger("contract.tries", 8);
  private static final long SEED = Long.getLong("contract.seed", 14);
  private static final byte[] PNG = UploadsTest.PNG;

  private static TestSystem system;
  private static ContractValues values;
  private static JsonObject ann;
  private static JsonObject bob;
  private static JsonObject admin;
  private static String channel;
  private static String dm;
  private static String message;
  private static String fileName;
  private static final Map<String, Supplier<List<String>>> RESOURCES = new HashMap<>();

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    values = new ContractValues(SEED, system.contract.contract.getRawContract());
    admin = system.signUp("admin@example.com", "Site Admin");
    ann = system.signUp("ann.valid@example.com", "Ann Valid");
    bob = system.signUp("bob.valid@example.com", "Bob Valid");
    channel = system.post("/api/chat/channels", token(ann), new JsonObject().put("name", "valid-room")
        .put("type", "public")).bodyAsJsonObject().getJsonObject("channel").getString("id");
    system.post("/api/chat/channels/" + channel + "/members", token(ann), new JsonObject().put("user_id", id(bob)));
    message = newMessage();
    String annId = id(ann);
    String bobId = id(bob);
    dm = "dm_" + (annId.compareTo(bobId) < 0 ? annId + "_" + bobId : bobId + "_" + annId);
    system.post("/api/dm/users/" + bobId + "/messages", token(ann), new JsonObject().put("content", "hello bob"));
    HttpResponse<Buffer> uploaded = UploadsTest.upload(system, "/api/upload/message-file", token(ann), "pic.png",
        UploadsTest.file(PNG, 200));
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    String path = URI.create(uploaded.bodyAsJsonObject().getString("file_url")).getRawPath();
    fileName = path.substring(path.lastIndexOf('/') + 1);
    JsonObject hook = IncomingHooksTest.createHook(system, token(ann), channel);
    values.know(annId, bobId, channel, message, dm);
    RESOURCES.put("channelId", () -> List.of(channel, channel, channel, dm, "dm-" + bobId));
    RESOURCES.put("messageId", () -> List.of(message));
    RESOURCES.put("userId", () -> List.of(bobId));
    RESOURCES.put("recipientId", () -> List.of(bobId));
    RESOURCES.put("dmChannelId", () -> List.of(dm));
    RESOURCES.put("fileName", () -> List.of(fileName));
    RESOURCES.put("hookId", () -> List.of(hook.getJsonObject("hook").getString("id")));
    RESOURCES.put("token", () -> List.of(hook.getString("token")));
    RESOURCES.put("botId", () -> List.of(BotAccountsTest.createBot(system, token(admin), "Valid Bot")
        .getJsonObject("bot").getString("id")));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static String token(JsonObject user) {
    return user.getString("token");
  }

  private static String id(JsonObject user) {
    return user.getString("id");
  }

  private static String newMessage() {
    return system.post("/api/chat/channels/" + channel + "/messages/send", token(ann),
        new JsonObject().put("content", "target")).bodyAsJsonObject().getJsonObject("message").getString("id");
  }

  /** Operations that use up what their path names get a fresh resource for each request. */
  private static Map<String, String> fresh(String operationId) {
    return switch (operationId) {
      case "deleteMessage" -> Map.of("messageId", newMessage());
      case "revokeIncomingHook" -> Map.of("hookId", IncomingHooksTest.createHook(system, token(ann), channel)
          .getJsonObject("hook").getString("id"));
      case "revokeBot" -> Map.of("botId", BotAccountsTest.createBot(system, token(admin), "Spent Bot")
          .getJsonObject("bot").getString("id"));
      case "removeChannelMember" -> {
        system.post("/api/chat/channels/" + channel + "/members", token(ann), new JsonObject().put("user_id", id(bob)));
        yield Map.of();
      }
      default -> Map.of();
    };
  }

  /** The business-rule 400s the contract lists for the operation: {error, message or message_pattern, when}. */
  private static List<JsonObject> businessRules(Operation operation) {
    JsonObject raw = system.contract.contract.getRawContract().getJsonObject("paths")
        .getJsonObject(operation.getOpenAPIPath()).getJsonObject(operation.getHttpMethod().name().toLowerCase());
    List<JsonObject> rules = new ArrayList<>();
    raw.getJsonArray("x-business-rules", new JsonArray()).forEach(rule -> rules.add((JsonObject) rule));
    return rules;
  }

  private static boolean listed(List<JsonObject> rules, JsonObject error) {
    return rules.stream().anyMatch(rule -> rule.getString("error").equals(error.getString("error"))
        && (rule.containsKey("message") ? rule.getString("message").equals(error.getString("message"))
            : Pattern.matches(rule.getString("message_pattern"), error.getString("message"))));
  }

  @Test
  @DisplayName("schema-valid requests to every operation never get a 5xx, and get a 400 only for a business rule the contract lists")
  void schemaValidRequests() {
    List<String> problems = new ArrayList<>();
    Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    int sent = 0;
    for (Operation operation : system.contract.contract.operations()) {
      List<JsonObject> rules = businessRules(operation);
      for (JsonObject rule : rules) {
        assertTrue(rule.getString("error") != null && rule.getString("when") != null
            && (rule.getString("message") != null || rule.getString("message_pattern") != null),
            operation.getOperationId() + ": a business rule needs error, message (or message_pattern) and when");
      }
      for (int i = 0; i < TRIES; i++) {
        Request request = request(operation);
        if (request == null) {
          problems.add(operation.getOperationId() + ": no schema-valid request could be generated");
          break;
        }
        HttpResponse<Buffer> response = send(operation, request, "logout".equals(operation.getOperationId())
            ? system.post("/api/auth/login", null, new JsonObject().put("email", "bob.valid@example.com")
                .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token")
            : token(ann));
        if (response.statusCode() == 403) {
          response = send(operation, request, token(admin));
        }
        sent++;
        statuses.computeIfAbsent(operation.getOperationId(), k -> new TreeMap<>())
            .merge(response.statusCode(), 1, Integer::sum);
        String where = operation.getOperationId() + " " + request + " -> " + response.statusCode() + " "
            + abbreviate(response.bodyAsString());
        if (response.statusCode() >= 500) {
          problems.add(where);
          continue;
        }
        if (response.statusCode() == 400 && !listed(rules, error(response))) {
          problems.add("unlisted 400: " + where);
          continue;
        }
        try {
          system.contract.assertConforms(operation.getOperationId(), response);
        } catch (AssertionError e) {
          problems.add("response off contract: " + abbreviate(e.getMessage()) + " for " + where);
        }
      }
    }
    System.out.println("schema-valid requests: " + sent + " sent; statuses per operation " + statuses);
    assertEquals(List.of(), problems, String.join("\n", problems));
    assertTrue(statuses.size() >= 60, "walked " + statuses.size() + " operations");
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    try {
      JsonObject error = response.bodyAsJsonObject();
      return error == null || error.getString("error") == null || error.getString("message") == null
          ? new JsonObject().put("error", "").put("message", "") : error;
    } catch (RuntimeException e) {
      return new JsonObject().put("error", "").put("message", "");
    }
  }

  /** One generated request. */
  private record Request(String method, String path, Map<String, String> headers, Object json,
                         MultipartForm multipart, String shown) {
    @Override
    public String toString() {
      return method + " " + path + (headers.isEmpty() ? "" : " " + headers) + (shown == null ? "" : " " + shown);
    }
  }

  private static HttpResponse<Buffer> send(Operation operation, Request request, String token) {
    HttpRequest<Buffer> http = system.http.request(operation.getHttpMethod(), request.path()).timeout(10_000);
    http.bearerTokenAuthentication(token);
    request.headers().forEach(http::putHeader);
    if (request.multipart() != null) {
      return http.sendMultipartForm(request.multipart()).await();
    }
    return request.json() == null ? http.send().await() : http.sendJson(request.json()).await();
  }

  /** A request whose every part the contract accepts, or null when the generator could not satisfy a schema. */
  private static Request request(Operation operation) {
    Map<String, String> fresh = fresh(operation.getOperationId());
    String path = operation.getOpenAPIPath();
    StringBuilder query = new StringBuilder();
    Map<String, String> headers = new TreeMap<>();
    for (Parameter parameter : operation.getParameters()) {
      JsonObject schema = values.inline(schemaOf(parameter));
      Object value;
      Supplier<List<String>> known = RESOURCES.get(parameter.getName());
      if (fresh.containsKey(parameter.getName())) {
        value = fresh.get(parameter.getName());
      } else if (parameter.getIn() == Location.PATH && known != null) {
        List<String> candidates = known.get().stream().filter(candidate -> values.valid(schema, candidate)).toList();
        value = candidates.isEmpty() ? values.valid(schema)
            : candidates.get(values.random().nextInt(candidates.size()));
      } else if (!parameter.isRequired() && values.random().nextInt(3) != 0) {
        continue;
      } else {
        value = values.valid(schema);
      }
      if (value == ContractValues.Unsatisfied.VALUE) {
        return null;
      }
      String text = String.valueOf(value);
      switch (parameter.getIn()) {
        case PATH -> path = path.replace("{" + parameter.getName() + "}",
            URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
        case QUERY -> query.append(query.length() == 0 ? "?" : "&").append(parameter.getName()).append('=')
            .append(URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"));
        case HEADER -> headers.put(parameter.getName(), text);
        default -> {
        }
      }
    }
    String method = operation.getHttpMethod().name();
    if (operation.getRequestBody() == null) {
      return new Request(method, path + query, headers, null, null, null);
    }
    Set<String> types = operation.getRequestBody().getContent().keySet();
    boolean multipart = types.contains("multipart/form-data")
        && (!types.contains("application/json") || values.random().nextBoolean());
    if (multipart) {
      String name = values.text(0, 6).replaceAll("[\\s/\\\\\"\\p{Cntrl}]", "") + "."
          + List.of("png", "jpg", "gif", "pdf", "txt", "PNG", "exe", "svg").get(values.random().nextInt(8));
      Buffer content = values.random().nextInt(3) == 0 ? Buffer.buffer(values.text(1, 50))
          : UploadsTest.file(PNG, 16 + values.random().nextInt(500));
      return new Request(method, path + query, headers, null,
          MultipartForm.create().binaryFileUpload("file", name, content, "application/octet-stream"),
          "multipart file " + name + " (" + content.length() + " bytes)");
    }
    JsonObject schema = values.inline(ContractFuzzTest.schemaOf(operation));
    Object body = values.valid(schema);
    if (body == ContractValues.Unsatisfied.VALUE) {
      return null;
    }
    return new Request(method, path + query, headers, body, null, abbreviate(String.valueOf(body)));
  }

  private static JsonObject schemaOf(Parameter parameter) {
    JsonObject json = new JsonObject();
    parameter.getSchema().fieldNames().forEach(name -> json.put(name, parameter.getSchema().get(name)));
    return json;
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
