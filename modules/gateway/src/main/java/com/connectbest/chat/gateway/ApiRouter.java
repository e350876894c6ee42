package com.connectbest.chat.gateway;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import io.vertx.ext.web.openapi.router.impl.RouterBuilderImpl;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.Set;

/**
 * Builds the HTTP API from openapi.yaml: every operation is validated against the contract and forwarded to the
 * service named by its {@code x-service} extension. Authentication runs before validation, so an anonymous caller
 * learns nothing about a protected operation's input rules.
 */
final class ApiRouter {

  static final String CONTRACT = "openapi.yaml";
  static final String PRINCIPAL = "principal";
  static final String OPERATION = "operation";
  /** Set once the caller was settled (before the body, for uploads), so it is not done twice. */
  private static final String AUTHENTICATED = "authenticated";
  /** Operations that answer 404 (not 401) when a valid token names a user that no longer exists. */
  private static final Set<String> UNKNOWN_USER_ALLOWED = Set.of("getCurrentUser", "getMyProfile");

  /** The methods whose multipart bodies vert.x decodes. */
  private static final Set<HttpMethod> BODY_METHODS =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private ApiRouter() {
  }

  static Future<Router> create(Vertx vertx, Settings settings, ServiceClient services, Authenticator authenticator) {
    // read as OpenAPIContract.from(vertx, path) reads it (getRawContract() carries resolver annotations)
    return io.vertx.openapi.impl.Utils.readYamlOrJson(vertx, CONTRACT)
        .compose(json -> OpenAPIContract.from(vertx, ContractPatterns.ecma(json)))
        .map(contract -> build(vertx, settings, services, authenticator, new ReusedValidators(contract)));
  }

  private static Router build(Vertx vertx, Settings settings, ServiceClient services, Authenticator authenticator,
                              OpenAPIContract contract) {
    OperationForwarder forwarder = new OperationForwarder(services);
    UploadForwarder uploads = new UploadForwarder(vertx, settings, services);
    uploads.sweepStaleFiles();
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    // CORS must come first: vert.x refuses a security-policy handler after ordinary ones on the same route.
    List<String> origins = settings.list("CORS_ORIGINS");
    if (!origins.isEmpty()) {
      builder.rootHandler(CorsHandler.create()
          .addOrigins(origins)
          .allowCredentials(true)
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "X-Request-ID", IdempotencyKey.HEADER))
          .exposedHeaders(Set.of("X-Request-ID", "Retry-After", IdempotencyKey.REPLAYED_HEADER)));
    }
    builder.rootHandler(AccessLog::handle);
    builder.rootHandler(ApiRouter::securityHeaders);
    builder.rootHandler(rc -> allowedMethod(rc, contract));
    RateLimiter limiter = new RateLimiter(new RateLimitRules(settings), ClusterBuckets.forVertx(vertx));
    Guard guard = new Guard(authenticator, limiter, new BotGate(services));
    builder.rootHandler(bodyHandler(settings, contract, guard, uploads));
    builder.rootHandler(rc -> authenticate(rc, contract, guard));
    // Authentication is ours (root handler above: it must see the peer address and run before validation); the
    // router still builds a chain for the contract's schemes, so give it pass-through members.
    AuthenticationHandler passThrough = SimpleAuthenticationHandler.create().authenticate(rc -> Future.succeededFuture());
    ((RouterBuilderImpl) builder).security("bearerAuth", passThrough, null);
    ((RouterBuilderImpl) builder).security("trustedProxy", passThrough, null);
    InlineValidation validation = new InlineValidation(vertx, contract);
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      route.setDoValidation(false);
      if (isMultipart(operation)) {
        // Multipart bodies are streamed by the uploads path, not buffered for schema validation.
        route.addHandler(uploads.forward(operation, forwarder.forward(operation)));
      } else {
        route.addHandler(validation.handler(operation)).addHandler(forwarder.forward(operation));
      }
    }
    Router router = builder.createRouter();
    router.route().failureHandler(ErrorResponses::handle);
    return router;
  }

  /**
   * A path of the contract asked with a method it does not have: 405 with the {@code Allow} header RFC 9110 requires
   * (the router's own 405 has none). Only the contract's methods are served (HEAD too is a 405); OPTIONS is left to
   * CORS preflight handling.
   */
  private static void allowedMethod(RoutingContext rc, OpenAPIContract contract) {
    HttpMethod method = rc.request().method();
    String path = rc.normalizedPath();
    if (method == HttpMethod.OPTIONS || contract.findOperation(path, method) != null) {
      rc.next();
      return;
    }
    java.util.List<String> allowed = java.util.stream.Stream.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE)
        .filter(candidate -> contract.findOperation(path, candidate) != null)
        .map(HttpMethod::name).toList();
    if (allowed.isEmpty()) {
      rc.next();
      return;
    }
    rc.response().putHeader("Allow", String.join(", ", allowed));
    rc.fail(405);
  }

  static boolean isMultipart(Operation operation) {
    return operation.getRequestBody() != null
        && operation.getRequestBody().getContent().keySet().stream().anyMatch(type -> type.startsWith("multipart/"));
  }

  /**
   * JSON bodies are small; only multipart uploads may use the large MAX_CONTENT_LENGTH limit. A multipart body for
   * an upload operation is read only once its caller is authenticated, with that operation's own limit.
   */
  private static Handler<RoutingContext> bodyHandler(Settings settings, OpenAPIContract contract, Guard guard,
                                                     UploadForwarder uploads) {
    BodyHandler json = BodyHandler.create(false).setBodyLimit(settings.number("MAX_JSON_BODY_BYTES", 1_048_576));
    BodyHandler multipart = BodyHandler.create(settings.string("DATA_DIR", "./data") + "/uploads-tmp")
        .setBodyLimit(settings.number("MAX_CONTENT_LENGTH", 52_428_800))
        .setDeleteUploadedFilesOnEnd(true);
    return rc -> {
      if (UploadForwarder.isMultipart(rc)) {
        Operation operation = contract.findOperation(rc.normalizedPath(), rc.request().method());
        if (operation != null && isMultipart(operation)) {
          rc.request().pause();
          // a request refused before (or without) its body was read is drained, or its connection would stall
          rc.addEndHandler(ended -> {
            if (!rc.request().isEnded()) {
              rc.request().handler(ignored -> { }).resume();
            }
          });
          authenticate(rc, operation, guard, authenticated -> uploads.receive(authenticated, operation));
          return;
        }
        if (!BODY_METHODS.contains(rc.request().method())) {
          // vert.x refuses to decode a multipart body of any other method (an IllegalStateException, a 500).
          rc.fail(new ApiException(com.connectbest.chat.common.ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              "A multipart body is accepted only by the upload operations"));
          return;
        }
        multipart.handle(rc);
      } else {
        json.handle(rc);
      }
    };
  }

  static void securityHeaders(RoutingContext rc) {
    rc.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
    if (rc.request().path().startsWith("/api/")) {
      rc.response().putHeader("Cache-Control", "no-store");
    }
    rc.next();
  }

  /**
   * Who may call (authentication, and a bot's permissions for the operations that are bot actions) and how often
   * (rate limits): all settled before any input is looked at.
   */
  private record Guard(Authenticator authenticator, RateLimiter limiter, BotGate bots) {
  }

  private static void authenticate(RoutingContext rc, OpenAPIContract contract, Guard guard) {
    if (rc.get(AUTHENTICATED) != null) {
      rc.next();
      return;
    }
    Operation operation = contract.findOperation(rc.normalizedPath(), rc.request().method());
    if (operation == null) {
      rc.next();
      return;
    }
    authenticate(rc, operation, guard, RoutingContext::next);
  }

  /** Settles the caller of an operation and its rate limits, then continues with {@code then} (or fails). */
  private static void authenticate(RoutingContext rc, Operation operation, Guard guard, Handler<RoutingContext> next) {
    Handler<RoutingContext> then = limited -> guard.bots()
        .mayCall(limited.get(PRINCIPAL) instanceof com.connectbest.chat.common.Principal caller ? caller : null,
            operation.getOperationId())
        .compose(permitted -> guard.limiter().check(operation.getOperationId(),
            guard.authenticator().clientAddress(limited.request()), accountOf(limited, operation)))
        .onSuccess(allowed -> next.handle(limited))
        .onFailure(limited::fail);
    Authenticator authenticator = guard.authenticator();
    rc.put(OPERATION, operation);
    rc.put(AUTHENTICATED, true);
    boolean required = !OperationForwarder.isPublic(operation);
    authenticator.authenticate(rc.request()).onComplete(done -> {
      if (done.failed()) {
        if (required) {
          rc.fail(done.cause());
        } else {
          then.handle(rc);
        }
        return;
      }
      Authenticator.Caller caller = done.result();
      if (caller == null) {
        if (required) {
          rc.fail(ApiException.unauthorized("Authentication required"));
        } else {
          then.handle(rc);
        }
        return;
      }
      if (!caller.found()) {
        if (!required) {
          then.handle(rc);
          return;
        }
        if (!UNKNOWN_USER_ALLOWED.contains(operation.getOperationId())) {
          rc.fail(ApiException.unauthorized("The account behind this token no longer exists"));
          return;
        }
      }
      rc.put(PRINCIPAL, caller.principal());
      rc.put(AccessLog.USER_ID, caller.principal().id());
      then.handle(rc);
    });
  }

  /** The account a call counts against: the caller, for sign-in the e-mail it tries, for a hook the hook. */
  private static String accountOf(RoutingContext rc, Operation operation) {
    if ("postIncomingHook".equals(operation.getOperationId())) {
      // limits are settled in a root handler, before the route's path parameters are parsed
      String path = rc.normalizedPath();
      return "hook:" + com.connectbest.chat.common.BotTokens.hash(path.substring(path.lastIndexOf('/') + 1));
    }
    Object principal = rc.get(PRINCIPAL);
    if (principal instanceof com.connectbest.chat.common.Principal caller) {
      return caller.id();
    }
    if ("login".equals(operation.getOperationId()) && rc.body() != null && rc.body().length() > 0) {
      try {
        Object email = rc.body().asJsonObject().getValue("email");
        return email instanceof String text ? text.trim().toLowerCase() : null;
      } catch (RuntimeException notJson) {
        return null;
      }
    }
    return null;
  }
}
