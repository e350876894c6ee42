package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.URI;

/**
 * The calls of the {@code growth} mode that {@link ChatApi} does not make: thread replies, pins, direct messages,
 * search, uploads, file access and reaction removal. Like {@link ChatApi}, calls fail only when no answer came.
 */
final class GrowthApi {

  private final WebClient client;
  private final URI target;
  private final long timeoutMs;

  GrowthApi(WebClient client, URI target, long timeoutMs) {
    this.client = client;
    this.target = target;
    this.timeoutMs = timeoutMs;
  }

  Future<HttpResponse<Buffer>> send(String token, String channelId, String content, JsonArray attachments) {
    JsonObject body = new JsonObject().put("content", content);
    if (attachments != null) {
      body.put("attachments", attachments);
    }
    return call(HttpMethod.POST, "/api/chat/channels/" + channelId + "/messages/send", token, body);
  }

  Future<HttpResponse<Buffer>> reply(String token, String messageId, String content) {
    return call(HttpMethod.POST, "/api/chat/messages/" + messageId + "/replies", token,
        new JsonObject().put("content", content));
  }

  Future<HttpResponse<Buffer>> replies(String token, String messageId) {
    return call(HttpMethod.GET, "/api/chat/messages/" + messageId + "/replies", token, null);
  }

  Future<HttpResponse<Buffer>> pin(String token, String messageId) {
    return call(HttpMethod.POST, "/api/chat/messages/" + messageId + "/pin", token, null);
  }

  Future<HttpResponse<Buffer>> pinned(String token, String channelId) {
    return call(HttpMethod.GET, "/api/chat/channels/" + channelId + "/pins", token, null);
  }

  Future<HttpResponse<Buffer>> sendDirect(String token, String recipientId, String content) {
    return call(HttpMethod.POST, "/api/dm/users/" + recipientId + "/messages", token,
        new JsonObject().put("content", content));
  }

  Future<HttpResponse<Buffer>> conversations(String token) {
    return call(HttpMethod.GET, "/api/dm/conversations", token, null);
  }

  Future<HttpResponse<Buffer>> search(String token, String text, int limit) {
    return call(HttpMethod.GET, "/api/chat/search?q=" + ChatApi.encode(text) + "&limit=" + limit, token, null);
  }

  Future<HttpResponse<Buffer>> unreact(String token, String channelId, String messageId, String emoji) {
    return call(HttpMethod.DELETE, "/api/chat/channels/" + channelId + "/messages/" + messageId
        + "/reactions?emoji=" + ChatApi.encode(emoji), token, null);
  }

  /** {@code POST /api/upload/message-file} with a small text file. */
  Future<HttpResponse<Buffer>> upload(String token, String fileName, String text) {
    return request(HttpMethod.POST, "/api/upload/message-file", token).sendMultipartForm(
        MultipartForm.create().textFileUpload("file", fileName, Buffer.buffer(text), "text/plain"));
  }

  /** {@code GET /api/files/<key>}: a 302 to a presigned URL, which is not followed. */
  Future<HttpResponse<Buffer>> file(String token, String key) {
    return call(HttpMethod.GET, "/api/files/" + key, token, null);
  }

  private Future<HttpResponse<Buffer>> call(HttpMethod method, String pathAndQuery, String token, JsonObject body) {
    HttpRequest<Buffer> request = request(method, pathAndQuery, token);
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String pathAndQuery, String token) {
    HttpRequest<Buffer> request = client.request(method, target.getPort() < 0 ? 80 : target.getPort(),
        target.getHost(), pathAndQuery).timeout(timeoutMs).followRedirects(false);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request;
  }
}
