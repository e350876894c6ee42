package com.connectbest.chat.app;

import com.connectbest.chat.auth.AuthVerticle;
import com.connectbest.chat.channels.ChannelsVerticle;
import com.connectbest.chat.dms.DmsVerticle;
import com.connectbest.chat.embeddedstore.DurableH2Backend;
import com.connectbest.chat.gateway.GatewayVerticle;
import com.connectbest.chat.messages.MessagesVerticle;
import com.connectbest.chat.metrics.MetricsVerticle;
import com.connectbest.chat.uploads.UploadsVerticle;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import de.bwaldvogel.mongo.MongoServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole system in one JVM, as a user meets it: every verticle, an in-memory embedded MongoDB, a GreenMail SMTP
 * server, and an HTTP client on the gateway's real port.
 */
final class TestSystem implements AutoCloseable {

  static final String SECRET = "integration-secret-0123456789abcdef-0123456789";
  static final String PASSWORD = "SecurePass123";
  /** Tests sign up many users from one address; RateLimitTest checks the real limits. */
  static final JsonObject GENEROUS_LIMITS = new JsonObject()
      .put("login", new JsonObject().put("per_ip", "100000/1m").put("per_account", "100000/1m"))
      .put("register", new JsonObject().put("per_ip", "100000/1m"))
      .put("verify_email", new JsonObject().put("per_ip", "100000/1m"))
      .put("two_factor", new JsonObject().put("per_ip", "100000/1m").put("per_account", "100000/1m"))
      .put("send_message", new JsonObject().put("per_ip", "100000/1m").put("per_account", "100000/1m"))
      .put("upload", new JsonObject().put("per_ip", "100000/1m").put("per_account", "100000/1m"))
      .put("webhook", new JsonObject().put("per_ip", "100000/1m").put("per_account", "100000/1m"));
  private static final Pattern TOKEN_IN_MAIL = Pattern.compile("token=([A-Za-z0-9_-]+)");

  final Vertx vertx;
  final WebClient http;
  final GreenMail mail;
  final int port;
  private MongoServer mongo;
  private DurableH2Backend backend;
  private final String mongoFile;
  private final int mongoPort;
  private final JsonObject config;
  final ContractResponses contract;

  TestSystem(JsonObject overrides) {
    vertx = MetricsSetup.builder(new VertxOptions()).build();
    mongoFile = overrides.getString("TEST_MONGO_H2_FILE");
    mongoPort = freePort();
    startStore();
    int smtpPort = freePort();
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    port = freePort();
    config = new JsonObject()
        .put("HOST", "127.0.0.1").put("PORT", port)
        .put("MONGODB_URI", "mongodb://127.0.0.1:" + mongoPort)
        .put("MONGODB_DB_NAME", "it_" + UUID.randomUUID().toString().replace("-", ""))
        .put("JWT_SECRET_KEY", SECRET)
        .put("MAIL_SERVER", "127.0.0.1").put("MAIL_PORT", smtpPort).put("MAIL_USE_TLS", false)
        .put("ADMIN_EMAILS", "admin@example.com")
        .put("SERVICE_TIMEOUT_MS", 5000)
        .put("DATA_DIR", System.getProperty("java.io.tmpdir") + "/connectbest-it-" + UUID.randomUUID())
        .put("RATE_LIMITS", GENEROUS_LIMITS)
        .mergeIn(overrides);
    DeploymentOptions options = new DeploymentOptions().setConfig(config);
    Future.all(List.of(
            vertx.deployVerticle(new AuthVerticle(), options),
            vertx.deployVerticle(new ChannelsVerticle(), options),
            vertx.deployVerticle(new MessagesVerticle(), options),
            vertx.deployVerticle(new DmsVerticle(), options),
            vertx.deployVerticle(new UploadsVerticle(), options),
            vertx.deployVerticle(new MetricsVerticle(), options)))
        .compose(services -> vertx.deployVerticle(new GatewayVerticle(), options))
        .compose(gateway -> config.getInteger("BOT_BRIDGE_PORT", 0) > 0
            ? vertx.deployVerticle(new com.connectbest.chat.gateway.BotBridgeVerticle(), options)
            : Future.succeededFuture())
        .await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setFollowRedirects(false));
    contract = new ContractResponses(vertx);
  }

  /** Starts the store: in memory, or on an H2 file (TEST_MONGO_H2_FILE) that survives {@link #stopStore()}. */
  void startStore() {
    // The product's own embedded store, so every integration test also exercises its indexes.
    backend = mongoFile == null ? DurableH2Backend.inMemory() : DurableH2Backend.open(java.nio.file.Path.of(mongoFile));
    mongo = new MongoServer(backend);
    mongo.bind(new java.net.InetSocketAddress("127.0.0.1", mongoPort), 1, DurableH2Backend.WORKER_THREADS);
  }

  /** The embedded store's backend (its scan log tells which queries read a whole collection). */
  DurableH2Backend backend() {
    return backend;
  }

  /** Stops the store as an outage would (connections drop, nothing answers on the port). */
  void stopStore() {
    mongo.shutdownNow();
  }

  String mongoUri() {
    return config.getString("MONGODB_URI");
  }

  String database() {
    return config.getString("MONGODB_DB_NAME");
  }

  HttpResponse<Buffer> call(HttpRequest<Buffer> request, String token, Object body) {
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return (body == null ? request.send() : request.sendJson(body)).await();
  }

  HttpResponse<Buffer> get(String path, String token) {
    return call(http.get(path), token, null);
  }

  HttpResponse<Buffer> post(String path, String token, Object body) {
    return call(http.post(path), token, body);
  }

  HttpResponse<Buffer> put(String path, String token, Object body) {
    return call(http.put(path), token, body);
  }

  HttpResponse<Buffer> delete(String path, String token) {
    return call(http.delete(path), token, null);
  }

  /** Registers a user (verifying the e-mail when asked) and signs in; returns {id, token, email}. */
  JsonObject signUp(String email, String name) {
    HttpResponse<Buffer> registered = post("/api/auth/register", null,
        new JsonObject().put("email", email).put("password", PASSWORD).put("name", name));
    if (registered.statusCode() != 201) {
      throw new AssertionError("register failed: " + registered.bodyAsString());
    }
    HttpResponse<Buffer> login = post("/api/auth/login", null,
        new JsonObject().put("email", email).put("password", PASSWORD));
    if (login.statusCode() != 200) {
      throw new AssertionError("login failed: " + login.bodyAsString());
    }
    return new JsonObject()
        .put("id", registered.bodyAsJsonObject().getJsonObject("user").getString("id"))
        .put("email", email)
        .put("token", login.bodyAsJsonObject().getString("token"));
  }

  /** The verification token from the last e-mail GreenMail received for the address. */
  String verificationTokenFor(String email) {
    try {
      mail.waitForIncomingEmail(5000, 1);
      var messages = mail.getReceivedMessagesForDomain(email);
      String text = com.icegreen.greenmail.util.GreenMailUtil.getBody(messages[messages.length - 1])
          .replace("=\r\n", "").replace("=3D", "=");
      Matcher matcher = TOKEN_IN_MAIL.matcher(text);
      if (!matcher.find()) {
        throw new AssertionError("no token in mail: " + text);
      }
      return matcher.group(1);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
    mail.stop();
    mongo.shutdownNow();
  }
}
