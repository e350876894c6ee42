package com.connectbest.chat.app;

import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.connectbest.chat.common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bot bridge across JVMs on 127.0.0.1: node A runs every service and a gateway, node B only a gateway with the
 * TCP bot bridge. An admin's changes on A reach a bot connected to B through the cluster's events.
 */
class BotBridgeClusterIT {

  private static final String SECRET = "bot-cluster-it-secret-0123456789abcdef-012345";
  /** How long a change on A may take to close a connection on B (the events cross at once; the re-check is 30 s). */
  private static final long BOUND_MS = 10_000;

  private static Vertx vertx;
  private static WebClient http;
  private static NodeProcess nodeA;
  private static NodeProcess nodeB;
  private static int httpA;
  private static int httpB;
  private static int bridgeB;

  @BeforeAll
  static void startCluster() throws IOException {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000));
    int[] ports = NodeProcess.freePorts(6);
    httpA = ports[2];
    httpB = ports[3];
    bridgeB = ports[4];
    Map<String, String> common = new HashMap<>(NodeProcess.clusterOn(ports[0], ports[1]));
    common.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", "4");
    common.put("JWT_SECRET_KEY", SECRET);
    common.put("SERVICE_TIMEOUT_MS", "3000");
    common.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[5]));
    common.put("DATA_DIR", Files.createTempDirectory("connectbest-bot-cluster-it").toString());
    common.put("GATEWAY_INSTANCES", "1");
    common.put("ADMIN_EMAILS", "admin@example.com");

    Map<String, String> a = new HashMap<>(common);
    a.put("CLUSTER_PORT", String.valueOf(ports[0]));
    a.put("PORT", String.valueOf(httpA));
    nodeA = new NodeProcess("bot-node-a", a, "--verticles", "gateway,auth,channels,messages,dms,uploads,metrics");
    Map<String, String> b = new HashMap<>(common);
    b.put("CLUSTER_PORT", String.valueOf(ports[1]));
    b.put("PORT", String.valueOf(httpB));
    b.put("BOT_BRIDGE_PORT", String.valueOf(bridgeB));
    b.put("BOT_BRIDGE_HOST", "127.0.0.1");
    b.put("MONGODB_URI", "mongodb://127.0.0.1:" + ports[5]);
    nodeB = new NodeProcess("bot-node-b", b, "--verticles", "gateway");
    nodeA.awaitReady(seconds(60));
    nodeB.awaitReady(seconds(60));
    awaitStatus(httpB, "/api/auth/status", 200, 30);
  }

  @AfterAll
  static void stopCluster() {
    for (NodeProcess node : new NodeProcess[] {nodeB, nodeA}) {
      if (node != null) {
        node.close();
      }
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static HttpResponse<Buffer> call(int port, String method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = http.request(io.vertx.core.http.HttpMethod.valueOf(method), port, "127.0.0.1", path)
        .timeout(10_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static void awaitStatus(int port, String path, int status, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (call(port, "GET", path, null, null).statusCode() == status) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      NodeProcess.sleep(250);
    }
    throw new AssertionError("GET " + path + " on " + port + " never answered " + status);
  }

  private static String signUp(String email) {
    assertEquals(201, call(httpA, "POST", "/api/auth/register", null, new JsonObject().put("email", email)
        .put("password", TestSystem.PASSWORD).put("name", "Node User")).statusCode());
    return call(httpA, "POST", "/api/auth/login", null, new JsonObject().put("email", email)
        .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
  }

  private static String channelWith(String ownerToken, String botId, String name) {
    String channel = call(httpA, "POST", "/api/chat/channels", ownerToken, new JsonObject().put("name", name))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    assertEquals(200, call(httpA, "POST", "/api/chat/channels/" + channel + "/members", ownerToken,
        new JsonObject().put("user_id", botId)).statusCode());
    return channel;
  }

  /** A bridge connection to node B registered for the channel (waits for the acknowledgement). */
  private static BotBridgeClient hearing(String channel, String botToken) throws IOException {
    BotBridgeClient client = new BotBridgeClient(bridgeB);
    client.write(new JsonObject().put("type", "register").put("address", Addresses.channel(channel))
        .put("headers", BotBridgeClient.auth(botToken)));
    JsonObject ack = client.next(BOUND_MS);
    assertNotNull(ack, "no answer to the registration");
    assertEquals("registered", ack.getJsonObject("headers", new JsonObject()).getString("bridge"), ack.encode());
    return client;
  }

  @Test
  @DisplayName("an admin's change on node A closes a bot's bridge connections on node B in bounded time: narrowed "
      + "hearing closes the affected one, revocation all, and B refuses the token afterwards")
  void changesOnOneNodeReachTheBridgeOnAnother() throws IOException {
    String admin = signUp("admin@example.com");
    String owner = signUp("owner@example.com");
    JsonObject created = call(httpA, "POST", "/api/bots", admin, new JsonObject().put("name", "Roaming bot"))
        .bodyAsJsonObject();
    String botToken = created.getString("token");
    String botId = created.getJsonObject("bot").getString("id");
    String narrowed = channelWith(owner, botId, "narrowed");
    String kept = channelWith(owner, botId, "kept");

    try (BotBridgeClient onNarrowed = hearing(narrowed, botToken);
         BotBridgeClient onKept = hearing(kept, botToken)) {
      assertEquals(200, call(httpA, "PUT", "/api/bots/" + botId + "/permissions", admin, new JsonObject()
          .put("actions", new JsonArray().add("sendMessage")).put("hear_channels", new JsonArray().add(kept)))
          .statusCode());
      assertTrue(onNarrowed.closedWithin(BOUND_MS), "node B kept a connection hearing a channel no longer allowed");

      long start = System.currentTimeMillis();
      assertEquals(200, call(httpA, "DELETE", "/api/bots/" + botId, admin, null).statusCode());
      assertTrue(onKept.closedWithin(BOUND_MS), "node B kept the revoked bot's connection open");
      System.out.println("revocation on A closed the bot's connection on B in "
          + (System.currentTimeMillis() - start) + " ms");
    }
    try (BotBridgeClient again = new BotBridgeClient(bridgeB)) {
      again.write(new JsonObject().put("type", "register").put("address", Addresses.channel(kept))
          .put("headers", BotBridgeClient.auth(botToken)));
      JsonObject refused = again.next(BOUND_MS);
      assertNotNull(refused);
      assertEquals("err", refused.getString("type"), refused.encode());
      assertEquals(401, refused.getInteger("failureCode"), refused.encode());
    }
  }
}
