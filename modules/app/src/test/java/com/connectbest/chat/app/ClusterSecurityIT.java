package com.connectbest.chat.app;

import static com.connectbest.chat.app.NodeProcess.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cluster transport security with separate JVMs on 127.0.0.1: node A runs every service (and a gateway, for its
 * /metrics), node B a gateway; both hold certificates of the test's cluster CA and the envelope keys. Intruders:
 * plain and certificate-less TLS connections to A's event-bus port, a Hazelcast member whose event-bus certificate
 * comes from another CA, and a member with a valid certificate but no envelope key.
 */
class ClusterSecurityIT {

  private static final String SECRET = "cluster-security-it-secret-0123456789abcdef";
  private static final String CLUSTER_SECRET = "cluster-secret-for-the-it-0123";
  private static final List<NodeProcess> NODES = new ArrayList<>();

  private static Vertx vertx;
  private static WebClient http;
  private static Path dir;
  private static ClusterCerts ours;
  private static Map<String, String> common;
  private static int httpA;
  private static int httpB;
  private static int busA;
  private static int rogueHazelcast;
  private static String token;
  private static JsonObject user;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(NodeProcess.jarBuilt(), "the fat jar is built by `package`; run with `mvn verify`");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000));
    dir = Files.createTempDirectory("connectbest-cluster-security-it");
    ours = ClusterCerts.authority(dir, "cluster-ca");
    int[] ports = NodeProcess.freePorts(7);
    httpA = ports[3];
    httpB = ports[4];
    busA = ports[5];
    rogueHazelcast = ports[2];
    common = new HashMap<>(NodeProcess.clusterOn(ports[0], ports[1]));
    common.put("CLUSTER_SECRET", CLUSTER_SECRET);
    common.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", "4");
    common.put("JWT_SECRET_KEY", SECRET);
    common.put("SERVICE_TIMEOUT_MS", "3000");
    common.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[6]));
    common.put("DATA_DIR", dir.resolve("data").toString());
    common.put("GATEWAY_INSTANCES", "1");
    common.putAll(ClusterCerts.envelopeKeys(dir, "envelope"));

    Map<String, String> a = new HashMap<>(ours.issue("node-a").settings());
    a.put("EVENTBUS_PORT", String.valueOf(busA));
    NodeProcess nodeA = start("secure-a", ports[0], httpA, a,
        "--verticles", "gateway,auth,channels,messages,dms,uploads,metrics");
    Map<String, String> b = new HashMap<>(ours.issue("node-b").settings());
    b.put("MONGODB_URI", "mongodb://127.0.0.1:" + ports[6]);
    NodeProcess nodeB = start("secure-b", ports[1], httpB, b, "--verticles", "gateway,metrics");
    nodeA.awaitReady(seconds(60));
    nodeB.awaitReady(seconds(60));
    awaitStatus(httpB, "/health/ready", 200, 30);

    assertEquals(201, call(httpB, "POST", "/api/auth/register", null, new JsonObject()
        .put("email", "victim@example.com").put("password", "SecurePass123").put("name", "Real Name")).statusCode());
    token = call(httpB, "POST", "/api/auth/login", null, new JsonObject()
        .put("email", "victim@example.com").put("password", "SecurePass123")).bodyAsJsonObject().getString("token");
    user = call(httpB, "GET", "/api/auth/me", token, null).bodyAsJsonObject().getJsonObject("user");
  }

  @AfterAll
  static void stopCluster() {
    NODES.forEach(NodeProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static NodeProcess start(String name, int hazelcastPort, int httpPort, Map<String, String> extra,
                                   String... args) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(extra);
    env.put("CLUSTER_PORT", String.valueOf(hazelcastPort));
    env.put("PORT", String.valueOf(httpPort));
    NodeProcess node = new NodeProcess(name, env, args);
    NODES.add(node);
    return node;
  }

  @Test
  @DisplayName("a node with a certificate from the cluster CA joins, and its gateway serves through the other node's services")
  void certifiedNodeWorks() {
    assertEquals("Real Name", user.getString("name"));
    HttpResponse<Buffer> created = call(httpB, "POST", "/api/chat/channels", token, new JsonObject().put("name", "tls"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String channel = created.bodyAsJsonObject().getJsonObject("channel").getString("id");
    HttpResponse<Buffer> sent = call(httpB, "POST", "/api/chat/channels/" + channel + "/messages/send", token,
        new JsonObject().put("content", "over mutual TLS"));
    assertEquals(201, sent.statusCode(), sent.bodyAsString());
    // and the dms service relays the caller's signature to the messages service
    HttpResponse<Buffer> dms = call(httpB, "GET", "/api/dm/conversations", token, null);
    assertEquals(200, dms.statusCode(), dms.bodyAsString());
    JsonObject health = call(httpB, "GET", "/api/metrics/health", null, null).bodyAsJsonObject();
    assertEquals(2, health.getJsonObject("services").getJsonObject("cluster").getInteger("members"), health.encode());
  }

  @Test
  @DisplayName("a plain TCP connection or a TLS client without a certificate is dropped by the event-bus port")
  void noCertificateNoConnection() throws Exception {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", busA), 2000);
      plain.setSoTimeout(10_000);
      // a Vert.x cluster frame: length, then what would follow; it is not a TLS ClientHello
      int read;
      try {
        plain.getOutputStream().write(new byte[] {0, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20});
        read = readOrClosed(plain.getInputStream());
      } catch (IOException brokenPipe) {
        read = -1; // closed before the write completed
      }
      assertEquals(-1, read, "the server closes a connection that does not speak TLS");
    }
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, new TrustManager[] {new TrustEverything()}, null);
    try (SSLSocket tls = (SSLSocket) anonymous.getSocketFactory().createSocket()) {
      tls.connect(new InetSocketAddress("127.0.0.1", busA), 2000);
      tls.setSoTimeout(10_000);
      int read;
      try {
        tls.startHandshake();
        tls.getOutputStream().write(new byte[] {0, 0, 0, 4, 1, 2, 3, 4});
        tls.getOutputStream().flush();
        read = readOrClosed(tls.getInputStream());
      } catch (IOException refused) {
        read = -1; // TLS 1.2 refuses in the handshake; TLS 1.3 reports the missing certificate after it
      }
      assertEquals(-1, read, "the server drops a TLS client without a certificate");
    }
  }

  @Test
  @DisplayName("a Hazelcast member with a certificate from another CA reaches no service: its request never arrives")
  void foreignCertificateReachesNothing() throws Exception {
    ClusterCerts foreign = ClusterCerts.authority(dir, "foreign-ca");
    List<String> outcomes = rogue("rogue-foreign", foreign.issue("intruder").settings(), "register",
        "intruder@example.com");
    assertEquals(1, outcomes.size(), outcomes.toString());
    assertFalse(outcomes.get(0).startsWith("register 2"), "the request reached a service: " + outcomes);
    HttpResponse<Buffer> login = call(httpB, "POST", "/api/auth/login", null, new JsonObject()
        .put("email", "intruder@example.com").put("password", "SecurePass123"));
    assertEquals(401, login.statusCode(), "no account was registered: " + login.bodyAsString());
    assertEquals(200, call(httpB, "GET", "/api/auth/me", token, null).statusCode(), "the cluster still serves");
  }

  @Test
  @DisplayName("a process with a valid certificate but the wrong CLUSTER_SECRET is not admitted and sees no service")
  void wrongSecretNotAdmitted() throws Exception {
    Map<String, String> settings = new HashMap<>(ours.issue("stranger").settings());
    settings.put("CLUSTER_SECRET", "not-the-cluster-secret-0123");
    List<String> outcomes = rogue("rogue-stranger", settings, "register", "stranger@example.com");
    assertEquals(1, outcomes.size(), outcomes.toString());
    assertTrue(outcomes.get(0).startsWith("register 503"), "it formed a cluster of its own: " + outcomes);
    assertEquals(401, call(httpB, "POST", "/api/auth/login", null, new JsonObject()
        .put("email", "stranger@example.com").put("password", "SecurePass123")).statusCode());
  }

  @Test
  @DisplayName("a member with a valid certificate but no gateway key cannot act as a user: refused and counted")
  void forgedEnvelopesRefused() throws Exception {
    double before = counter(httpA, "chat_envelopes_refused_total");
    double blockedBefore = counter(httpA, "chat_requests_blocked_total");
    List<String> outcomes = rogue("rogue-forger", ours.issue("forger").settings(), "forge", user.encode());
    assertEquals(List.of("unsigned 403", "badly-signed 403"), outcomes.stream()
        .map(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1))).toList(), outcomes.toString());
    assertEquals("Real Name", call(httpB, "GET", "/api/auth/me", token, null).bodyAsJsonObject()
        .getJsonObject("user").getString("name"), "the profile was not changed");
    assertEquals(before + 2, counter(httpA, "chat_envelopes_refused_total"));
    assertEquals(blockedBefore + 2, counter(httpA, "chat_requests_blocked_total"));
  }

  @Test
  @DisplayName("with APP_ENV=production and CLUSTER=true a node without event-bus TLS refuses to start and says why")
  void productionRefusesOpenCluster() {
    Map<String, String> env = new HashMap<>(common);
    env.put("APP_ENV", "production");
    env.put("CLUSTER_PORT", String.valueOf(rogueHazelcast));
    env.put("PORT", "0");
    NodeProcess open = new NodeProcess("secure-refused", env, "--verticles", "auth");
    NODES.add(open);
    assertEquals(StartupFailure.REFUSED, open.awaitExit(seconds(60)));
    assertTrue(open.output().contains("the event bus has no TLS"), open.output());
  }

  /** Runs {@link RogueNode} in its own JVM; its OUTCOME lines, without the prefix. */
  private static List<String> rogue(String name, Map<String, String> tls, String... args) throws Exception {
    Map<String, String> env = new HashMap<>(common);
    env.keySet().removeIf(key -> key.startsWith("ENVELOPE_"));
    env.putAll(tls);
    env.put("CLUSTER_PORT", String.valueOf(rogueHazelcast));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), RogueNode.class.getName()));
    command.addAll(List.of(args));
    Path log = Files.createDirectories(Path.of("target", "cluster-it")).resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError(name + " did not finish:\n" + Files.readString(log));
      }
    } finally {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertTrue(output.contains("ROGUE JOINED"), "the rogue started its cluster member:\n" + output);
    return output.lines().filter(line -> line.startsWith("OUTCOME ")).map(line -> line.substring(8)).toList();
  }

  private static int readOrClosed(InputStream in) {
    try {
      return in.read();
    } catch (IOException reset) {
      return -1;
    }
  }

  private static double counter(int port, String name) {
    String scrape = call(port, "GET", "/metrics", null, null).bodyAsString();
    Matcher value = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
    assertTrue(value.find(), name + " is not exported");
    return Double.parseDouble(value.group(1));
  }

  private static HttpResponse<Buffer> call(int port, String method, String path, String bearer, JsonObject body) {
    HttpRequest<Buffer> request = http.request(HttpMethod.valueOf(method), port, "127.0.0.1", path).timeout(10_000);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static void awaitStatus(int port, String path, int status, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    String last = "no answer";
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<Buffer> response = call(port, "GET", path, null, null);
        if (response.statusCode() == status) {
          return;
        }
        last = response.statusCode() + " " + response.bodyAsString();
      } catch (Exception notYet) {
        last = notYet.toString();
      }
      NodeProcess.sleep(250);
    }
    throw new AssertionError("GET " + path + " on " + port + " never answered " + status + "; last: " + last);
  }

  /** The intruder's TLS client: it accepts the server, but has no certificate of its own to show. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
