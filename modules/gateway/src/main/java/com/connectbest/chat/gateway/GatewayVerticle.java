package com.connectbest.chat.gateway;

import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The HTTP entry point: the contract-driven API, the contract itself, Swagger UI, and uniform JSON errors. */
public class GatewayVerticle extends VerticleBase {

  private HttpServer server;
  private EventBridge bridge;

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    ServiceClient services = new ServiceClient(vertx.eventBus(),
        settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS));
    Authenticator authenticator = new Authenticator(vertx, settings, services);
    bridge = new EventBridge(vertx, authenticator, services, settings.integer("BRIDGE_WRITE_QUEUE_BYTES", 1 << 20));
    return vertx.fileSystem().readFile(ApiRouter.CONTRACT)
        .compose(contract -> ApiRouter.create(vertx, settings, services, authenticator)
            .map(api -> root(api, contract, settings)))
        .compose(router -> vertx.createHttpServer(new HttpServerOptions()
                .setCompressionSupported(true)
                .setMaxWebSocketFrameSize(settings.integer("BRIDGE_MAX_FRAME_BYTES", 65_536))
                .setMaxWebSocketMessageSize(settings.integer("BRIDGE_MAX_FRAME_BYTES", 65_536))
                .setIdleTimeout(settings.integer("HTTP_IDLE_TIMEOUT_SECONDS", 120)))
            .requestHandler(router)
            .invalidRequestHandler(ErrorResponses::invalidRequest)
            .listen(settings.integer("PORT", 5001), settings.string("HOST", "0.0.0.0")))
        .onSuccess(listening -> server = listening);
  }

  /** The port actually bound (useful when PORT=0). */
  public int port() {
    return server.actualPort();
  }

  /** Live SockJS sessions on this instance. */
  public int openSockets() {
    return bridge.openSockets();
  }

  /** SockJS is mounted beside, not inside, the API router, so that the API's body handling never sees its frames. */
  private Router root(Router api, Buffer contract, Settings settings) {
    Router root = Router.router(vertx);
    root.route().handler(ApiRouter::securityHeaders);
    OperationsRoutes.mount(root, vertx, settings);
    root.route("/eventbus*").subRouter(bridge.router(vertx));
    root.route("/*").subRouter(withDocs(api, contract));
    root.errorHandler(404, ErrorResponses::handle);
    root.errorHandler(405, ErrorResponses::handle);
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
