package com.connectbest.chat.app;

import static com.connectbest.chat.app.GatewayCalls.ok;
import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.testing.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A member removal is two writes: the membership, then the channel's removal count, which the gateways' bridges read
 * every second to find out which member lists to compare (docs/event-bus.md, "Permissions follow changes"). This
 * kills the channels service between the two, with real JVMs on 127.0.0.1: node S owns the embedded store and runs
 * gateway, auth, messages and dms; node K runs only channels, with the test-only
 * {@code TEST_HALT_BEFORE_REMOVAL_COUNT}, which halts its JVM right after a removal. The removal never reaches the
 * count and its event is never published, so only the bridge's full comparison ({@code BRIDGE_FULL_RECHECK_MS}, here
 * 4 s) can end the removed member's live registration once a channels service is back.
 */
class RemovalCrashIT {

  private static final String SECRET = "removal-crash-it-0123456789abcdef-0123456789abcd";
  private static final String PASSWORD = "SecurePass123";
  private static final String DB = "chatapp";
  private static final long FULL_RECHECK_MS = 4_000;
  private static final List<NodeProcess> NODES = new ArrayList<>();

  private record User(String id, String token) {
  }

  private static Vertx vertx;
  private static WebClient http;
  private static MongoClient store;
  private static Path dataDir;
  private static int gateway;
  private static Map<String, String> channelsNode;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    dataDir = Files.createTempDirectory("connectbest-removal-crash");
    int[] ports = NodeProcess.freePorts(5);
    gateway = ports[2];
    Map<String, String> common = new HashMap<>(NodeProcess.clusterOn(ports[0], ports[1]));
    // the halted node is declared dead soon, so that no request waits on its consumers after the restart
    common.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", "4");
    common.put("JWT_SECRET_KEY", SECRET);
    common.put("RATE_LIMITS", CrashLoad.RATE_LIMITS);
    common.put("SERVICE_TIMEOUT_MS", "3000");
    common.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[4]));
    common.put("DATA_DIR", dataDir.toString());
    common.put("GATEWAY_INSTANCES", "1");
    common.put("MONGODB_DB_NAME", DB);
    common.put("BRIDGE_FULL_RECHECK_MS", String.valueOf(FULL_RECHECK_MS));
    common.put("EMBEDDED_MONGO_BACKEND", null);
    common.put("CONFIG_FILE", null);
    common.put("VERTICLES", null);
    String storeUri = "mongodb://127.0.0.1:" + ports[4];

    Map<String, String> s = new HashMap<>(common);
    s.put("CLUSTER_PORT", String.valueOf(ports[0]));
    s.put("PORT", String.valueOf(gateway));
    s.put("MONGODB_URI", null);
    channelsNode = new HashMap<>(common);
    channelsNode.put("CLUSTER_PORT", String.valueOf(ports[1]));
    channelsNode.put("PORT", String.valueOf(ports[3]));
    channelsNode.put("MONGODB_URI", storeUri);
    NodeProcess nodeS = start("removal-s", s, "gateway,auth,messages,dms");
    NodeProcess nodeK = start("removal-k", withHalt(true), "channels");
    nodeS.awaitReady(seconds(60));
    nodeK.awaitReady(seconds(60));
    // useObjectId: the removal counts are keyed by the channel's ObjectId
    store = MongoClient.create(vertx, new JsonObject().put("connection_string", storeUri).put("db_name", DB)
        .put("useObjectId", true));
  }

  private static Map<String, String> withHalt(boolean halt) {
    Map<String, String> env = new HashMap<>(channelsNode);
    env.put("TEST_HALT_BEFORE_REMOVAL_COUNT", String.valueOf(halt));
    return env;
  }

  private static NodeProcess start(String name, Map<String, String> env, String verticles) {
    NodeProcess node = new NodeProcess(name, env, "--verticles", verticles);
    NODES.add(node);
    return node;
  }

  @AfterAll
  static void stopCluster() {
    NODES.forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
    CrashDurabilityIT.deleteTree(dataDir);
  }

  private static Future<HttpResponse<Buffer>> call(HttpMethod method, String path, String token, JsonObject body) {
    return GatewayCalls.call(http, gateway, method, path, token, body);
  }

  private static User signUp(String name) {
    String email = name + "@removal-crash.example.com";
    JsonObject registered = ok(call(HttpMethod.POST, "/api/auth/register", null, new JsonObject()
        .put("email", email).put("password", PASSWORD).put("name", "User " + name.toUpperCase())), 201);
    JsonObject login = ok(call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("email", email).put("password", PASSWORD)), 200);
    return new User(registered.getJsonObject("user").getString("id"), login.getString("token"));
  }

  private static JsonObject removalCount(String channel) {
    return store.findOne("channel_member_removals", new JsonObject().put("_id", channel), null).await();
  }

  @Test
  @DisplayName("a channels service killed between a member's removal and the removal count's write: once one is back, "
      + "the removed member's live socket is revoked within one full recheck, and their reads are refused")
  void killedBetweenRemovalAndCount() {
    User ann = signUp("ann");
    User una = signUp("una");
    String channel = ok(call(HttpMethod.POST, "/api/chat/channels", ann.token(),
        new JsonObject().put("name", "removal-crash").put("type", "private")), 201)
        .getJsonObject("channel").getString("id");
    ok(call(HttpMethod.POST, "/api/chat/channels/" + channel + "/members", ann.token(),
        new JsonObject().put("user_id", una.id())), 200);
    String messages = "/api/chat/channels/" + channel + "/messages";
    ok(call(HttpMethod.GET, messages, una.token(), null), 200);

    BridgeClient socket = new BridgeClient(vertx, gateway);
    try {
      socket.register(Addresses.channel(channel), una.token());
      assertTrue(socket.awaitRegistered(Addresses.channel(channel), 5_000), "registered");
      NodeProcess.sleep(2_500); // the bridge has compared the registration with the member list and read the count
      JsonObject countBefore = removalCount(channel);

      HttpResponse<Buffer> removal = call(HttpMethod.DELETE, "/api/chat/channels/" + channel + "/members/" + una.id(),
          ann.token(), null).await();
      assertTrue(removal.statusCode() >= 500, "the removal was never answered: " + removal.statusCode());
      assertEquals(137, NODES.get(1).awaitExit(seconds(10)), "the channels node halted between the two writes");
      assertTrue(store.find("channel_members", new JsonObject().put("channel_id", channel).put("user_id", una.id()))
          .await().isEmpty(), "the membership was removed");
      assertEquals(countBefore, removalCount(channel), "the removal count did not move");

      // The halted member is declared dead (4 s), then a channels service starts again, without the hook.
      NodeProcess.sleep(6_000);
      NodeProcess restarted = start("removal-k2", withHalt(false), "channels");
      restarted.awaitReady(seconds(60));
      long back = System.nanoTime();

      JsonObject revoked = socket.nextFailure("REVOKED", FULL_RECHECK_MS + 3_000);
      long after = (System.nanoTime() - back) / 1_000_000;
      assertTrue(revoked != null, "the removed member's socket was still registered " + after
          + " ms after the channels service came back");
      System.out.println("removal crash: socket revoked " + after + " ms after the channels service came back");
      assertTrue(List.of(403, 404).contains(call(HttpMethod.GET, messages, una.token(), null).await().statusCode()),
          "the removed member's reads are refused");
      assertNull(socket.closedWith(0), "only the registration ended, not the socket");
    } finally {
      socket.close();
    }
  }
}
