package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Walks every operation of openapi.yaml against the running system. */
class ContractCoverageTest {

  private static TestSystem system;
  private static String token;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    token = system.signUp("walker@example.com", "Con Tract").getString("token");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName("every operation in openapi.yaml is routed to a handler and none answers 501 or another 5xx")
  void everyOperationHasAHandler() {
    int walked = 0;
    for (Operation operation : system.contract.contract.operations()) {
      HttpResponse<Buffer> response = send(operation);
      walked++;
      if ("logout".equals(operation.getOperationId())) {
        token = system.post("/api/auth/login", null, new JsonObject().put("email", "walker@example.com")
            .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
      }
      String where = operation.getOperationId() + " " + operation.getHttpMethod() + " " + operation.getOpenAPIPath();
      int status = response.statusCode();
      assertNotEquals(405, status, where);
      assertTrue(status < 500, where + " answered " + status + " " + response.bodyAsString());
      if (status >= 400) {
        JsonObject error = response.bodyAsJsonObject();
        assertNotNull(error.getString("error"), where);
        assertNotNull(error.getString("timestamp"), where);
        assertNotEquals("No such endpoint", error.getString("message"), where + " has no route");
      }
    }
    assertTrue(walked >= 56, "walked " + walked + " operations");
  }

  private static HttpResponse<Buffer> send(Operation operation) {
    String path = operation.getOpenAPIPath();
    StringBuilder query = new StringBuilder();
    for (Parameter parameter : operation.getParameters()) {
      String sample = sample(parameter.getSchema().get("pattern"), parameter.getSchema().get("enum"),
          parameter.getSchema().get("type"));
      if (parameter.getIn() == Location.PATH) {
        path = path.replace("{" + parameter.getName() + "}", sample);
      } else if (parameter.getIn() == Location.QUERY && parameter.isRequired()) {
        query.append(query.length() == 0 ? "?" : "&").append(parameter.getName()).append('=').append(sample);
      }
    }
    HttpRequest<Buffer> request = system.http.request(operation.getHttpMethod(), path + query)
        .bearerTokenAuthentication(token);
    boolean jsonBody = operation.getRequestBody() != null
        && operation.getRequestBody().getContent().containsKey("application/json");
    if (!jsonBody) {
      return request.send().await();
    }
    JsonSchema schema = operation.getRequestBody().getContent().get("application/json").getSchema();
    JsonObject json = new JsonObject();
    schema.fieldNames().forEach(name -> json.put(name, schema.get(name)));
    return request.sendJson(SchemaSamples.sample(json)).await();
  }

  private static String sample(Object pattern, Object enumeration, Object type) {
    if (enumeration instanceof JsonArray values && !values.isEmpty()) {
      return values.getValue(0).toString();
    }
    String regex = pattern == null ? "" : pattern.toString();
    if (regex.startsWith("^dm_")) {
      return "dm_507f1f77bcf86cd799439011_507f1f77bcf86cd799439012";
    }
    if (regex.contains("{24}")) {
      return "507f1f77bcf86cd799439099";
    }
    if (regex.contains("{36}")) {
      return "123e4567-e89b-12d3-a456-426614174000.png";
    }
    return "integer".equals(type) || "number".equals(type) ? "1" : "sample";
  }
}
