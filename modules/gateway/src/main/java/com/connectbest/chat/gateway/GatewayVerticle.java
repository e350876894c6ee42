package com.connectbest.chat.gateway;

import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The HTTP entry point: the contract-driven API, the contract itself, Swagger UI, and uniform JSON errors. */
public class GatewayVerticle extends VerticleBase {

  private HttpServer server;

  @Override
  public Future<?> start() {
    Settings settings = new Settings(config());
    ServiceClient services = new ServiceClient(vertx.eventBus(),
        settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS));
    return vertx.fileSystem().readFile(ApiRouter.CONTRACT)
        .compose(contract -> ApiRouter.create(vertx, settings, services)
            .map(router -> withDocs(router, contract)))
        .compose(router -> vertx.createHttpServer(new HttpServerOptions()
                .setCompressionSupported(true)
                .setIdleTimeout(settings.integer("HTTP_IDLE_TIMEOUT_SECONDS", 120)))
            .requestHandler(router)
            .listen(settings.integer("PORT", 5001), settings.string("HOST", "0.0.0.0")))
        .onSuccess(listening -> server = listening);
  }

  /** The port actually bound (useful when PORT=0). */
  public int port() {
    return server.actualPort();
  }

  private Router withDocs(Router router, Buffer contract) {
    router.get("/openapi.yaml").handler(rc -> rc.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(contract));
    router.get("/docs").handler(rc -> rc.redirect("/docs/"));
    router.get("/docs/").handler(rc -> rc.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .sendFile("swagger/index.html"));
    router.get("/docs/*").handler(StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion()));
    router.errorHandler(404, ErrorResponses::handle);
    router.errorHandler(405, ErrorResponses::handle);
    router.errorHandler(413, ErrorResponses::handle);
    router.errorHandler(500, GatewayVerticle::lastResort);
    return router;
  }

  private static void lastResort(RoutingContext rc) {
    ErrorResponses.handle(rc);
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
