package com.connectbest.chat.gateway;

import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.NodeClusterState;
import com.connectbest.chat.common.PublicUrl;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP entry point: the contract-driven API, the contract itself, Swagger UI, and uniform JSON errors. */
public class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  /** The WebSocket close status and reason sent to every bridge socket when the node shuts down. */
  public static final int GOING_AWAY = 1001;
  public static final String GOING_AWAY_REASON = "going away: node shutting down";

  private HttpServer server;
  private EventBridge bridge;
  /** Before the server closes, it keeps reading until no request has arrived for this long (at most SETTLE_MAX). */
  private static final long QUIET_MS = 250;
  /** ...and for at least this long, so that readiness probes and load balancers see the 503 before connections stop. */
  private static final long NOTICE_MS = 1_000;
  private static final long SETTLE_MAX_MS = 3_000;

  private ClusterGuard clusterGuard;
  private volatile boolean draining;
  private volatile long lastRequestNanos = System.nanoTime();

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    // The gateway signs the principal of every request it forwards: services act only on signed principals.
    return EnvelopeKeys.load(vertx, settings).compose(keys -> serve(settings, new ServiceClient(vertx.eventBus(),
        settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS))
        .signingWith(keys.signing(), settings.number(EnvelopeKeys.TTL_SECONDS, EnvelopeKeys.DEFAULT_TTL_SECONDS))));
  }

  private Future<?> serve(Settings settings, ServiceClient signing) {
    NodeLossFailFast failFast = new NodeLossFailFast(vertx.eventBus());
    ServiceClient services = signing.tracked(failFast);
    Authenticator authenticator = new Authenticator(vertx, settings, services);
    bridge = new EventBridge(vertx, authenticator, services, settings.integer("BRIDGE_WRITE_QUEUE_BYTES", 1 << 20),
        settings.number("BRIDGE_PING_TIMEOUT_MS", 60_000), settings.number("BRIDGE_RECHECK_MS", 1_000),
        settings.number("BRIDGE_FULL_RECHECK_MS", 60_000), settings.integer("BRIDGE_FANOUT_SLICE", 128),
        settings.number("BRIDGE_FANOUT_MAX_LAG_MS", 1_000),
        settings.bool("TEST_DROP_MEMBERSHIP_EVENTS", false));
    clusterGuard = new ClusterGuard(vertx, this::cutOff, failFast::memberLeft);
    return vertx.fileSystem().readFile(ApiRouter.CONTRACT)
        .compose(contract -> ApiRouter.create(vertx, settings, services, authenticator)
            .map(api -> root(api, contract, settings)))
        .compose(router -> vertx.createHttpServer(new HttpServerOptions()
                .setCompressionSupported(true)
                .setMaxWebSocketFrameSize(settings.integer("BRIDGE_MAX_FRAME_BYTES", 65_536))
                .setMaxWebSocketMessageSize(settings.integer("BRIDGE_MAX_FRAME_BYTES", 65_536))
                .setIdleTimeout(settings.integer("HTTP_IDLE_TIMEOUT_SECONDS", 120)))
            .requestHandler(request -> {
              lastRequestNanos = System.nanoTime();
              router.handle(request);
            })
            .invalidRequestHandler(ErrorResponses::invalidRequest)
            .listen(settings.integer("PORT", 5001), settings.string("HOST", "0.0.0.0")))
        .onSuccess(listening -> {
          server = listening;
          PublicUrl.recordListenPort(vertx, listening.actualPort());
        });
  }

  /** The port actually bound (useful when PORT=0). */
  public int port() {
    return server.actualPort();
  }

  /**
   * The first step of a graceful shutdown, run on this instance's event loop: readiness answers 503 from now on,
   * every bridge socket is closed with {@link #GOING_AWAY} (clients reconnect elsewhere), then the server closes:
   * it accepts no new connections, lets the requests in flight finish and closes each connection after its
   * response; connections still open after {@code grace} are closed. Resolves to the number of bridge sockets closed.
   *
   * <p>Closing the server also closes, at once, connections on which no request has been read yet. A client that has
   * just sent its request on a fresh connection would see it dropped unanswered, so the server first keeps reading
   * for at least {@link #NOTICE_MS} (readiness probes see the 503 meanwhile) and until no request has arrived for
   * {@link #QUIET_MS} (at most {@link #SETTLE_MAX_MS}).
   */
  public Future<Integer> drain(Duration grace) {
    Promise<Integer> drained = Promise.promise();
    context.runOnContext(v -> {
      draining = true;
      int sockets = bridge.closeAll(GOING_AWAY, GOING_AWAY_REASON);
      long started = System.nanoTime();
      Promise<Void> settled = Promise.promise();
      settle(started, settled);
      settled.future()
          .compose(quiet -> {
            long left = Math.max(0, grace.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return server == null ? Future.<Void>succeededFuture() : server.shutdown(left, TimeUnit.MILLISECONDS);
          })
          .map(sockets)
          .onComplete(drained);
    });
    return drained.future();
  }

  private void settle(long started, Promise<Void> settled) {
    long now = System.nanoTime();
    boolean noticed = now - started >= TimeUnit.MILLISECONDS.toNanos(NOTICE_MS);
    if (noticed && now - lastRequestNanos >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS)
        || now - started >= TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MS)) {
      settled.complete();
    } else {
      vertx.setTimer(25, id -> settle(started, settled));
    }
  }

  /** The node lost the cluster: its bridge sockets would receive nothing, so their clients should reconnect elsewhere. */
  private void cutOff(NodeClusterState state) {
    int closed = bridge.closeOpen(ClusterGuard.CLOSE_STATUS, ClusterGuard.CLOSE_REASON);
    if (closed > 0) {
      LOG.warn("Cluster cut-off: closed {} bridge sockets with {}", closed, ClusterGuard.CLOSE_STATUS);
    }
  }

  /** Live SockJS sessions on this instance. */
  public int openSockets() {
    return bridge.openSockets();
  }

  /** This node's bridge consumers (one per browser address with sockets, shared by the node's instances). */
  int bridgeConsumers() {
    return bridge.hubConsumers();
  }

  /**
   * SockJS is mounted beside, not inside, the API router, so that the API's body handling never sees its frames. Its
   * own routes need: CORS for the configured origins (the xhr and eventsource transports are cross-origin requests
   * when the page is served elsewhere; without CORS_ORIGINS, SockJS answers any origin itself, as the bridge takes
   * no cookies and every registration carries its token), and a small body handler, without which every
   * {@code xhr_send} fails (the frames of the xhr transports arrive as POST bodies).
   */
  private Router root(Router api, Buffer contract, Settings settings) {
    Router root = Router.router(vertx);
    root.route().handler(ApiRouter::securityHeaders);
    root.route().handler(clusterGuard::handle);
    OperationsRoutes.mount(root, vertx, settings, () -> draining);
    List<String> origins = settings.list("CORS_ORIGINS");
    if (!origins.isEmpty()) {
      root.route("/eventbus*").handler(CorsHandler.create().addOrigins(origins).allowCredentials(true)
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
          .allowedHeaders(Set.of("Content-Type")))
          // a refused origin fails with status 403 and a plain exception: answer the client's 403, not a 500
          .failureHandler(rc -> {
            if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
              ErrorResponses.write(rc, ErrorResponses.fromStatus(rc.statusCode()));
            } else {
              rc.next();
            }
          });
    }
    root.post("/eventbus*").handler(BodyHandler.create(false)
        .setBodyLimit(settings.integer("BRIDGE_MAX_FRAME_BYTES", 65_536)));
    root.route("/eventbus*").subRouter(bridge.router());
    // the chat page of modules/web-client (webroot/app on the classpath; 404 when that jar is absent)
    root.getWithRegex("/app").handler(rc -> rc.redirect("/app/")); // relative links need the slash
    // not cached as immutable: the file names carry no version, and the page must match the server after an upgrade
    root.get("/app/*").handler(StaticHandler.create("webroot/app").setCachingEnabled(false));
    root.route("/*").subRouter(withDocs(api, contract));
    root.errorHandler(404, ErrorResponses::handle);
    root.errorHandler(405, ErrorResponses::handle);
    root.errorHandler(413, ErrorResponses::handle);
    root.errorHandler(500, ErrorResponses::handle);
    return root;
  }

  private Router withDocs(Router router, Buffer contract) {
    router.get("/openapi.yaml").handler(rc -> rc.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(contract));
    router.get("/docs").handler(rc -> rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .sendFile("swagger/index.html"));
    router.get("/docs/*").handler(StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion()));
    router.errorHandler(404, ErrorResponses::handle);
    router.errorHandler(405, ErrorResponses::handle);
    router.errorHandler(413, ErrorResponses::handle);
    router.errorHandler(500, ErrorResponses::handle);
    return router;
  }

  private static String swaggerUiVersion() {
    try (InputStream in = GatewayVerticle.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the swagger-ui webjar is missing from the classpath", e);
    }
  }
}
