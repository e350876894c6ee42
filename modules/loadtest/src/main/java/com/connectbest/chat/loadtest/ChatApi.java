package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The chat's public HTTP API as the tool uses it, against one target. Calls never fail on an HTTP status: the
 * caller decides what a status means; they fail only when no answer came (connection error, timeout).
 */
final class ChatApi {

  private final WebClient client;
  private final URI target;
  private final long timeoutMs;

  ChatApi(WebClient client, URI target, long timeoutMs) {
    this.client = client;
    this.target = target;
    this.timeoutMs = timeoutMs;
  }

  URI target() {
    return target;
  }

  Future<HttpResponse<Buffer>> register(String email, String password, String name) {
    return post("/api/auth/register", null,
        new JsonObject().put("email", email).put("password", password).put("name", name));
  }

  Future<HttpResponse<Buffer>> login(String email, String password) {
    return post("/api/auth/login", null, new JsonObject().put("email", email).put("password", password));
  }

  Future<HttpResponse<Buffer>> me(String token) {
    return get("/api/auth/me", token);
  }

  Future<HttpResponse<Buffer>> createChannel(String token, String name) {
    return post("/api/chat/channels", token, new JsonObject().put("name", name)
        .put("description", "load test").put("type", "public"));
  }

  Future<HttpResponse<Buffer>> myChannels(String token) {
    return get("/api/chat/channels", token);
  }

  Future<HttpResponse<Buffer>> join(String token, String channelId) {
    return post("/api/chat/channels/" + channelId + "/join", token, null);
  }

  /** Sends a message with an Idempotency-Key: a retry with the same key stores nothing new. */
  Future<HttpResponse<Buffer>> send(String token, String channelId, String content, String idempotencyKey) {
    HttpRequest<Buffer> request = request(HttpMethod.POST, "/api/chat/channels/" + channelId + "/messages/send", token)
        .putHeader("Idempotency-Key", idempotencyKey);
    return request.sendJsonObject(new JsonObject().put("content", content));
  }

  Future<HttpResponse<Buffer>> history(String token, String channelId, int limit) {
    return get("/api/chat/channels/" + channelId + "/messages?limit=" + limit, token);
  }

  Future<HttpResponse<Buffer>> markRead(String token, String channelId) {
    return post("/api/chat/channels/" + channelId + "/read", token, null);
  }

  Future<HttpResponse<Buffer>> typing(String token, String channelId, boolean typing) {
    return post("/api/chat/channels/" + channelId + "/typing", token, new JsonObject().put("typing", typing));
  }

  Future<HttpResponse<Buffer>> react(String token, String channelId, String messageId, String emoji) {
    return post("/api/chat/channels/" + channelId + "/messages/" + messageId + "/reactions", token,
        new JsonObject().put("emoji", emoji));
  }

  Future<HttpResponse<Buffer>> health() {
    return get("/api/metrics/health", null);
  }

  Future<HttpResponse<Buffer>> get(String pathAndQuery, String token) {
    return call(HttpMethod.GET, pathAndQuery, token, null);
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private Future<HttpResponse<Buffer>> post(String path, String token, JsonObject body) {
    return call(HttpMethod.POST, path, token, body);
  }

  private Future<HttpResponse<Buffer>> call(HttpMethod method, String pathAndQuery, String token, JsonObject body) {
    HttpRequest<Buffer> request = request(method, pathAndQuery, token);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String pathAndQuery, String token) {
    HttpRequest<Buffer> request = client.request(method, port(), target.getHost(), pathAndQuery).timeout(timeoutMs);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request;
  }

  private int port() {
    return target.getPort() < 0 ? 80 : target.getPort();
  }
}
