package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store goes away mid-traffic and comes back: fast 503s meanwhile, no restart needed, no acknowledged loss. */
class StoreOutageTest {

  private static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    String file = Files.createTempDirectory("connectbest-outage").resolve("mongo.mv.db").toString();
    system = new TestSystem(new JsonObject().put("TEST_MONGO_H2_FILE", file).put("MONGODB_TIMEOUT_MS", 1000)
        .put("SERVICE_TIMEOUT_MS", 5000));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static HttpResponse<Buffer> send(String token, String channel, int n) {
    return system.post("/api/chat/channels/" + channel + "/messages/send", token,
        new JsonObject().put("content", "message " + n));
  }

  /** The last answer of the sends made while waiting for the store to come back, and how many were made. */
  private record Recovery(HttpResponse<Buffer> last, int attempts) {
  }

  /** Once the store is started again: sends every 300 ms until one is answered 201, for at most 20 s. */
  private static Recovery sendUntilAccepted(String token, String channel, int firstNumber) {
    long deadline = System.currentTimeMillis() + 20_000;
    int attempts = 0;
    HttpResponse<Buffer> last;
    do {
      NodeProcess.sleep(300);
      last = send(token, channel, firstNumber + attempts++);
    } while (last.statusCode() != 201 && System.currentTimeMillis() < deadline);
    return new Recovery(last, attempts);
  }

  /** Every message id of the channel, page by page. */
  private static Set<String> storedIds(String token, String channel) {
    Set<String> stored = new HashSet<>();
    String before = null;
    do {
      String query = "?limit=100" + (before == null ? "" : "&before=" + before);
      JsonObject page = system.get("/api/chat/channels/" + channel + "/messages" + query, token).bodyAsJsonObject();
      page.getJsonArray("messages").forEach(m -> stored.add(((JsonObject) m).getString("id")));
      before = page.getBoolean("has_more") ? page.getJsonArray("messages").getJsonObject(page.getJsonArray("messages").size() - 1).getString("id") : null;
    } while (before != null);
    return stored;
  }

  @Test
  @DisplayName("during a store outage requests fail fast with 503, recover by themselves, and no 201 is lost")
  void outage() {
    JsonObject ann = system.signUp("outage@example.com", "Out Age");
    String token = ann.getString("token");
    String channel = system.post("/api/chat/channels", token, new JsonObject().put("name", "outage"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    Set<String> acknowledged = new HashSet<>();
    int n = 0;
    for (; n < 20; n++) {
      HttpResponse<Buffer> sent = send(token, channel, n);
      assertEquals(201, sent.statusCode(), sent.bodyAsString());
      acknowledged.add(sent.bodyAsJsonObject().getJsonObject("message").getString("id"));
    }

    system.stopStore();
    int refused = 0;
    long slowest = 0;
    for (int i = 0; i < 30; i++, n++) {
      long start = System.currentTimeMillis();
      HttpResponse<Buffer> sent = send(token, channel, n);
      slowest = Math.max(slowest, System.currentTimeMillis() - start);
      if (sent.statusCode() == 201) {
        acknowledged.add(sent.bodyAsJsonObject().getJsonObject("message").getString("id"));
        continue;
      }
      assertEquals(503, sent.statusCode(), sent.bodyAsString());
      assertEquals("SERVICE_UNAVAILABLE", sent.bodyAsJsonObject().getString("error"));
      refused++;
    }
    assertTrue(refused >= 25, "only " + refused + " of 30 writes were refused while the store was down");
    assertTrue(slowest < 4000, "a request during the outage took " + slowest + " ms");
    assertEquals(503, system.get("/health/ready", null).statusCode(), "not ready without a store");
    HttpResponse<Buffer> health = system.contract.assertConforms("getHealth", system.get("/api/metrics/health", null));
    assertEquals(503, health.statusCode(), health.bodyAsString());
    assertEquals("unhealthy", health.bodyAsJsonObject().getString("status"));
    assertEquals("unhealthy", health.bodyAsJsonObject().getJsonObject("services").getJsonObject("database")
        .getString("status"));

    system.startStore();
    Recovery recovery = sendUntilAccepted(token, channel, n);
    HttpResponse<Buffer> after = recovery.last();
    assertEquals(201, after.statusCode(), "the service must recover without a restart: " + after.bodyAsString());
    acknowledged.add(after.bodyAsJsonObject().getJsonObject("message").getString("id"));
    assertEquals(200, system.get("/health/ready", null).statusCode(), "ready again once the store is back");
    assertEquals("healthy", system.get("/api/metrics/health", null).bodyAsJsonObject().getString("status"));

    Set<String> stored = storedIds(token, channel);
    assertTrue(stored.containsAll(acknowledged), "acknowledged messages lost: " + acknowledged.size() + " acked, "
        + stored.size() + " stored");
    System.out.println("store outage: " + acknowledged.size() + " acknowledged messages verified, " + refused
        + " writes refused with 503, slowest refusal " + slowest + " ms");
  }

  @Test
  @DisplayName("three outages in the middle of concurrent sends: every 201 is stored, every refusal says so")
  void outagesUnderConcurrentTraffic() {
    JsonObject bob = system.signUp("bursts@example.com", "Bur Sts");
    String token = bob.getString("token");
    String channel = system.post("/api/chat/channels", token, new JsonObject().put("name", "bursts"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    Set<String> acknowledged = new HashSet<>();
    int refused = 0;
    int sent = 0;
    for (int outage = 0; outage < 3; outage++) {
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 40; i++, sent++) {
        if (i == 20) {
          inFlight.get(4).otherwiseEmpty().await(); // some answered, the rest still in flight when the store dies
          system.stopStore();
        }
        inFlight.add(system.http.post("/api/chat/channels/" + channel + "/messages/send")
            .bearerTokenAuthentication(token).timeout(15_000)
            .sendJsonObject(new JsonObject().put("content", "burst " + outage + "/" + i)));
      }
      Future.join(inFlight).otherwiseEmpty().await();
      for (Future<HttpResponse<Buffer>> reply : inFlight) {
        assertTrue(reply.succeeded(), "every request gets an answer: " + reply.cause());
        HttpResponse<Buffer> response = reply.result();
        if (response.statusCode() == 201) {
          acknowledged.add(response.bodyAsJsonObject().getJsonObject("message").getString("id"));
        } else {
          assertTrue(response.statusCode() == 503 || response.statusCode() == 504, response.bodyAsString());
          assertNotNull(response.bodyAsJsonObject().getString("error"));
          refused++;
        }
      }
      system.startStore();
      Recovery recovery = sendUntilAccepted(token, channel, 1000 + sent);
      sent += recovery.attempts();
      HttpResponse<Buffer> after = recovery.last();
      assertEquals(201, after.statusCode(), "recovery after outage " + (outage + 1) + ": " + after.bodyAsString());
      acknowledged.add(after.bodyAsJsonObject().getJsonObject("message").getString("id"));
    }
    Set<String> stored = storedIds(token, channel);
    assertTrue(stored.containsAll(acknowledged), "acknowledged messages lost");
    assertTrue(refused > 0, "the outages must have refused some writes");
    System.out.println("store outages under load: 3 outages survived, " + sent + " sends, " + acknowledged.size()
        + " acknowledged and verified stored, " + refused + " refused with 503/504");
  }
}
