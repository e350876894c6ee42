package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** REST calls of the multi-JVM tests to one node's gateway on 127.0.0.1. */
final class GatewayCalls {

  private GatewayCalls() {
  }

  /** A request with an optional bearer token and JSON body; gives up after 10 s. */
  static Future<HttpResponse<Buffer>> call(WebClient http, int port, HttpMethod method, String path, String token,
                                           JsonObject body) {
    HttpRequest<Buffer> request = http.request(method, port, "127.0.0.1", path).timeout(10_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  /** The answer's JSON body, once it came with this status (else the test fails with the body). */
  static JsonObject ok(Future<HttpResponse<Buffer>> answer, int status) {
    HttpResponse<Buffer> response = answer.await();
    assertEquals(status, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }
}
