package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad requests generated from openapi.yaml for every operation: wrong types, missing and null fields, boundary
 * and over-long strings, unicode and NUL, Mongo operators, malformed ids, wrong content types, truncated and deeply
 * nested JSON. None may produce a 5xx or a non-standard error, and the server must stay healthy.
 */
class ContractFuzzTest {

  static final List<Object> HOSTILE_VALUES = List.of(
      new JsonObject().put("$gt", ""), new JsonObject().put("$where", "sleep(5000)"),
      new JsonObject().put("$regex", ".*"), new JsonArray().add("$ne"), "", " ", "x".repeat(10_001),
      "\u0000", "a\u0000b", "💥".repeat(50), "' OR 1=1 --", "${jndi:ldap://x}", "../../etc/passwd",
      -1, 0, 2147483648L, 9.99e307, -9.99e307, 1.5, true, false,
      new JsonObject().put("$ne", (Object) null), new JsonObject().put("$in", new JsonArray()),
      new JsonObject().put("$expr", new JsonObject().put("$eq", new JsonArray().add(1).add(1))),
      new JsonArray().add("a").add("b"), new JsonObject(), "\u202Eevil", "null", "NaN", "<script>alert(1)</script>",
      "ä".repeat(3000), "\r\nX-Injected: 1");
  static final List<String> HOSTILE_PATH = List.of("x", "0", "-1", "507f1f77bcf86cd79943901", "507f1f77bcf86cd7994390111",
      "zzzzzzzzzzzzzzzzzzzzzzzz", "%7B%22%24gt%22%3A%22%22%7D", "%00", "..%2F..%2Fetc", "%F0%9F%92%A5", "a".repeat(300),
      "dm_507f1f77bcf86cd799439011", "507f1f77bcf86cd799439011%00");

  private static TestSystem system;
  private static String token;
  private static int sent;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    token = system.signUp("fuzzer@example.com", "Fuzz Er").getString("token");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName("thousands of malformed requests across every operation never produce a 5xx or a non-standard error")
  void fuzzEveryOperation() {
    Map<String, Integer> perOperation = new TreeMap<>();
    for (Operation operation : system.contract.contract.operations()) {
      int before = sent;
      for (String path : hostilePaths(operation)) {
        check(operation, system.http.request(operation.getHttpMethod(), path + validQuery(operation)), null, null);
      }
      String path = validPath(operation);
      for (String query : hostileQueries(operation)) {
        check(operation, system.http.request(operation.getHttpMethod(), path + query), null, null);
      }
      if (hasJsonBody(operation)) {
        for (Buffer body : hostileBodies(operation)) {
          check(operation, system.http.request(operation.getHttpMethod(), path + validQuery(operation)), body,
              "application/json");
        }
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
          check(operation, system.http.request(operation.getHttpMethod(), path + validQuery(operation)),
              Buffer.buffer("{\"a\":1}"), type);
        }
      }
      perOperation.put(operation.getOperationId(), sent - before);
    }
    assertTrue(sent >= 2000, "only " + sent + " requests: " + perOperation);
    HttpResponse<Buffer> healthy = system.get("/api/auth/status", null);
    assertEquals(200, healthy.statusCode(), "the server must still be healthy");
    assertEquals(200, system.get("/api/auth/me", token).statusCode());
    System.out.println("contract fuzzing: " + sent + " requests over " + perOperation.size() + " operations");
  }

  private static void check(Operation operation, HttpRequest<Buffer> request, Buffer body, String contentType) {
    request.bearerTokenAuthentication(token).timeout(10_000);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(body)).await();
    sent++;
    String where = operation.getOperationId() + " " + request.method() + " " + request.uri()
        + (body == null ? "" : " body " + abbreviate(body.toString()));
    int status = response.statusCode();
    assertTrue(status < 500, where + " -> " + status + " " + response.bodyAsString());
    if (status >= 400) {
      JsonObject error;
      try {
        error = response.bodyAsJsonObject();
      } catch (RuntimeException e) {
        error = null;
      }
      if (error == null) {
        throw new AssertionError(where + " -> " + status + " non-JSON error body: " + response.bodyAsString());
      }
      assertTrue(error.getValue("error") instanceof String && error.getValue("message") instanceof String
          && error.containsKey("details") && error.getValue("timestamp") instanceof String, where + " -> " + error);
      assertTrue(!error.encode().contains("Exception") && !error.encode().contains("\tat "), where + " leaks " + error);
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }

  private static boolean hasJsonBody(Operation operation) {
    return operation.getRequestBody() != null && operation.getRequestBody().getContent().containsKey("application/json");
  }

  private static List<String> hostilePaths(Operation operation) {
    List<String> paths = new ArrayList<>();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() != Location.PATH) {
        continue;
      }
      for (String value : HOSTILE_PATH) {
        String path = operation.getOpenAPIPath();
        for (Parameter other : operation.getParameters()) {
          if (other.getIn() == Location.PATH) {
            path = path.replace("{" + other.getName() + "}", other == parameter ? value : sampleOf(other));
          }
        }
        paths.add(path);
      }
    }
    return paths;
  }

  private static String validPath(Operation operation) {
    String path = operation.getOpenAPIPath();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.PATH) {
        path = path.replace("{" + parameter.getName() + "}", sampleOf(parameter));
      }
    }
    return path;
  }

  private static String validQuery(Operation operation) {
    StringBuilder query = new StringBuilder();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.QUERY && parameter.isRequired()) {
        query.append(query.length() == 0 ? "?" : "&").append(parameter.getName()).append('=').append(sampleOf(parameter));
      }
    }
    return query.toString();
  }

  private static List<String> hostileQueries(Operation operation) {
    List<String> queries = new ArrayList<>();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() != Location.QUERY) {
        continue;
      }
      String name = parameter.getName();
      for (Object value : HOSTILE_VALUES) {
        String text = value instanceof JsonObject || value instanceof JsonArray ? value.toString() : String.valueOf(value);
        queries.add("?" + name + "=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
      }
      queries.add("?" + name + "[$gt]=");
      queries.add("?" + name + "=1&" + name + "=2");
      queries.add("?" + name);
    }
    return queries;
  }

  private static List<Buffer> hostileBodies(Operation operation) {
    JsonObject valid = (JsonObject) SchemaSamples.sample(schemaOf(operation));
    JsonObject properties = schemaOf(operation).getJsonObject("properties", new JsonObject());
    List<Buffer> bodies = new ArrayList<>();
    for (String field : properties.fieldNames()) {
      for (Object value : HOSTILE_VALUES) {
        bodies.add(valid.copy().put(field, value).toBuffer());
      }
      bodies.add(valid.copy().putNull(field).toBuffer());
      JsonObject missing = valid.copy();
      missing.remove(field);
      bodies.add(missing.toBuffer());
    }
    bodies.add(Buffer.buffer("{"));
    bodies.add(Buffer.buffer(valid.encode().substring(0, Math.max(1, valid.encode().length() / 2))));
    bodies.add(Buffer.buffer("[]"));
    bodies.add(Buffer.buffer("null"));
    bodies.add(Buffer.buffer("42"));
    bodies.add(Buffer.buffer("\"text\""));
    bodies.add(Buffer.buffer(""));
    bodies.add(Buffer.buffer("[".repeat(5000) + "]".repeat(5000)));
    bodies.add(Buffer.buffer("{\"a\":".repeat(900) + "1" + "}".repeat(900)));
    bodies.add(Buffer.buffer(valid.copy().put("nested", nested(200)).encode()));
    bodies.add(Buffer.buffer(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}));
    return bodies;
  }

  private static JsonObject nested(int depth) {
    JsonObject root = new JsonObject();
    JsonObject current = root;
    for (int i = 0; i < depth; i++) {
      JsonObject next = new JsonObject();
      current.put("k", next);
      current = next;
    }
    return root;
  }

  static JsonObject schemaOf(Operation operation) {
    JsonSchema schema = operation.getRequestBody().getContent().get("application/json").getSchema();
    JsonObject json = new JsonObject();
    schema.fieldNames().forEach(name -> json.put(name, schema.get(name)));
    return json;
  }

  private static String sampleOf(Parameter parameter) {
    Object sample = SchemaSamples.sample(new JsonObject(parameter.getSchema().fieldNames().stream()
        .collect(java.util.stream.Collectors.toMap(name -> name, name -> parameter.getSchema().get(name)))));
    return URLEncoder.encode(String.valueOf(sample), StandardCharsets.UTF_8);
  }
}
