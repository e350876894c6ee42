package com.connectbest.chat.gateway;

import com.connectbest.chat.common.testing.WebSockets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.connectbest.chat.common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every SockJS transport the bridge offers, spoken at the HTTP level as sockjs-client speaks it: open a session,
 * send a register frame (over the transport itself, or by {@code xhr_send}), get the acknowledgement and a published
 * message. The page is on another origin listed in CORS_ORIGINS, so every answer must allow it.
 */
@ExtendWith(VertxExtension.class)
class SockJsTransportsTest {

  private static final String ORIGIN = "http://app.example.test";

  enum Kind { WEBSOCKET, XHR_STREAMING, XHR_POLLING, EVENTSOURCE }

  private GatewayHarness gateway;
  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    gateway = new GatewayHarness(vertx, new JsonObject().put("CORS_ORIGINS", ORIGIN));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  @Timeout(30)
  @DisplayName("each SockJS transport opens, carries a registration and its acknowledgement, and delivers a message")
  void transport(Kind kind) throws InterruptedException {
    // a connection per request: the server may close a polling connection once its response is complete
    Session session = new Session(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)), kind, gateway.port);
    try {
      assertEquals("o", session.frames.poll(5, TimeUnit.SECONDS), "the open frame");
      String address = Addresses.user(GatewayHarness.ALICE);
      session.send(new JsonObject().put("type", "register").put("address", address)
          .put("headers", new JsonObject().put("Authorization", "Bearer " + gateway.aliceToken())));
      JsonObject ack = session.nextMessage();
      assertNotNull(ack, "the registration is acknowledged");
      assertEquals("registered", ack.getJsonObject("headers").getString("bridge"), ack.encode());
      vertx.eventBus().publish(address, new JsonObject().put("type", "read").put("via", kind.name()));
      JsonObject delivered = session.nextMessage();
      assertNotNull(delivered, "the published message arrives");
      assertEquals(kind.name(), delivered.getJsonObject("body").getString("via"));
      assertEquals(java.util.List.of(), session.corsMissing, "every answer allows the page's origin");
    } finally {
      session.close();
    }
  }

  @Test
  @DisplayName("an origin outside CORS_ORIGINS is refused on the SockJS routes with the standard JSON error")
  void foreignOrigin() {
    io.vertx.ext.web.client.HttpResponse<Buffer> refused = gateway.client.get("/eventbus/info")
        .putHeader("Origin", "http://elsewhere.example.test").send().await();
    assertEquals(403, refused.statusCode(), refused.bodyAsString());
    assertEquals("FORBIDDEN", refused.bodyAsJsonObject().getString("error"));
    assertEquals(200, gateway.client.get("/eventbus/info").putHeader("Origin", ORIGIN).send().await().statusCode());
  }

  /** One SockJS session over one transport; {@link #frames} holds its frames: o, h, a[...], c[...]. */
  private final class Session {
    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final HttpClient http;
    private final Kind kind;
    private final int port;
    private final String base = "/eventbus/123/" + UUID.randomUUID().toString().replace("-", "") + "/";
    private WebSocket webSocket;
    private volatile boolean closed;
    final java.util.List<String> corsMissing = new java.util.concurrent.CopyOnWriteArrayList<>();

    Session(HttpClient http, Kind kind, int port) {
      this.http = http;
      this.kind = kind;
      this.port = port;
      switch (kind) {
        case WEBSOCKET -> webSocket = WebSockets.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(base + "websocket")
                .addHeader("Origin", ORIGIN))
            .onSuccess(ws -> ws.textMessageHandler(this::frame)).await();
        case XHR_STREAMING -> stream(HttpMethod.POST, "xhr_streaming", "\n");
        case EVENTSOURCE -> stream(HttpMethod.GET, "eventsource", "\r\n");
        case XHR_POLLING -> poll();
      }
    }

    private RequestOptions request(HttpMethod method, String path) {
      return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(base + path)
          .putHeader("Origin", ORIGIN);
    }

    private void stream(HttpMethod method, String path, String separator) {
      StringBuilder pending = new StringBuilder();
      http.request(request(method, path)).compose(req -> req.send()).onSuccess(response -> {
        checkCors(response);
        response.handler(chunk -> {
          pending.append(chunk.toString());
          for (int end = pending.indexOf(separator); end >= 0; end = pending.indexOf(separator)) {
            String line = pending.substring(0, end);
            pending.delete(0, end + separator.length());
            if (line.startsWith("data: ")) {
              frame(line.substring("data: ".length()));
            } else if (kind == Kind.XHR_STREAMING && !line.isEmpty() && line.length() < 2048) {
              frame(line); // not the 2 kB prelude of h's that makes browsers start streaming
            }
          }
        });
      }).await();
    }

    private void poll() {
      if (closed) {
        return;
      }
      http.request(request(HttpMethod.POST, "xhr")).compose(req -> req.send())
          .compose(response -> {
            checkCors(response);
            return response.body();
          })
          .onSuccess(body -> {
            for (String line : body.toString().split("\n")) {
              if (!line.isEmpty()) {
                frame(line);
              }
            }
            poll();
          });
    }

    private void frame(String frame) {
      if (frame.startsWith("a")) {
        new JsonArray(frame.substring(1)).forEach(text -> messages.add(new JsonObject((String) text)));
      } else {
        frames.add(frame);
      }
    }

    void send(JsonObject message) {
      String payload = new JsonArray().add(message.encode()).encode();
      if (webSocket != null) {
        webSocket.writeTextMessage(payload).await();
        return;
      }
      String answer = http.request(request(HttpMethod.POST, "xhr_send"))
          .compose(req -> req.putHeader("Content-Type", "text/plain;charset=UTF-8").send(Buffer.buffer(payload)))
          .compose(response -> {
            checkCors(response);
            return response.body().map(body -> response.statusCode() + " " + body);
          })
          .await();
      assertEquals("204 ", answer, "xhr_send");
    }

    JsonObject nextMessage() throws InterruptedException {
      return messages.poll(5, TimeUnit.SECONDS);
    }

    /** Called on the event loop: the test thread checks what was recorded. */
    private void checkCors(HttpClientResponse response) {
      String allowed = response.getHeader("Access-Control-Allow-Origin");
      if (!ORIGIN.equals(allowed)) {
        corsMissing.add(response.request().path() + ": " + allowed);
      }
    }

    void close() {
      closed = true;
      if (webSocket != null) {
        webSocket.close();
      }
      http.close();
    }
  }
}
