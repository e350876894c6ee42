package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.BotTokens;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds out who is calling: a Bearer JWT (HS256), or identity headers from a trusted proxy. The identity is then
 * resolved by the auth service, so the role always comes from the database, never from a claim or a header.
 */
final class Authenticator {

  /** Who called, or {@code found=false} when the token is valid but its user no longer exists. */
  record Caller(Principal principal, boolean found, Long tokensValidAfter) {
  }

  /** What a verified bearer token says: whose it is and when it was issued (epoch milliseconds, or null). */
  private record Token(String userId, Long issuedAt) {
  }

  /** A caller named by a bearer token, with the token's issue time (epoch ms, or null), which revocation compares. */
  record Bearer(Caller caller, Long issuedAt) {
  }

  private static final long CACHE_TTL_MS = 30_000;

  private final JWTAuth jwt;
  private final TrustedProxies proxies;
  private final ServiceClient services;
  private final Map<String, CachedCaller> cache = new HashMap<>();
  /**
   * Lookups in flight, by user: concurrent requests of one user (a client registering its 20 channels at once, a page
   * load's parallel calls) share one. An invalidation removes the entry, so an answer read before it is not cached.
   */
  private final Map<String, Future<Caller>> resolving = new HashMap<>();
  /**
   * Bot callers by their token's SHA-256. Correct after a lost revocation event too: an entry lives at most
   * {@link #CACHE_TTL_MS}, and the bot's revocation removes its entries on every gateway at once.
   */
  private final Map<String, CachedCaller> bots = new HashMap<>();

  private record CachedCaller(Caller caller, long expiresAt) {
  }

  /**
   * Tokens whose signature and claims were checked, until their expiry, the most recently used
   * {@link #VERIFIED_MAX} of them (as Mattermost's session cache keyed by token): checking one costs a MAC, a JSON
   * parse and the provider's user object on every request (remembering them made {@code me} 7 % cheaper,
   * docs/performance.md). What a token says never changes, so an entry cannot go stale; whether it was revoked is
   * decided per request by {@link #resolve}'s answer, which is not cached here.
   */
  private final Map<String, VerifiedToken> verified = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, VerifiedToken> eldest) {
      return size() > VERIFIED_MAX;
    }
  };
  static final int VERIFIED_MAX = 10_000;

  private record VerifiedToken(Token token, long expiresAtMs) {
  }

  Authenticator(Vertx vertx, Settings settings, ServiceClient services) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.jwtSecret())));
    this.proxies = new TrustedProxies(settings.list("TRUSTED_PROXIES"), settings.string("TRUSTED_PROXY_SECRET", null));
    this.services = services;
    vertx.eventBus().<JsonObject>consumer(Addresses.USER_CHANGED, event -> forget(event.body().getString("user_id")));
    vertx.eventBus().<JsonObject>consumer(Addresses.ACCOUNT_REVOKED, event -> {
      String userId = event.body().getString("user_id");
      forget(userId);
      bots.values().removeIf(cached -> cached.caller().principal().id().equals(userId));
    });
  }

  /** Resolves the caller; null when the request carries no credentials; a 401 when it carries bad ones. */
  Future<Caller> authenticate(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && !authorization.isBlank()) {
      return bearer(authorization);
    }
    String proxiedUser = request.getHeader("X-User-ID");
    if (proxiedUser == null) {
      return Future.succeededFuture();
    }
    if (proxies.enabled() && proxies.trusts(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("X-Proxy-Secret"))) {
      if (!Ids.isObjectId(proxiedUser)) {
        return refuse("Invalid X-User-ID header", true);
      }
      return resolve(proxiedUser.toLowerCase());
    }
    Meters.count(Meters.REQUESTS_BLOCKED); // a user header from a peer we do not trust: ignored, and counted
    return Future.succeededFuture();
  }

  /** The client's address for per-IP limits (see {@link TrustedProxies#clientAddress}). */
  String clientAddress(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    return proxies.clientAddress(peer, request.getHeader("X-Forwarded-For"), request.getHeader("X-Proxy-Secret"));
  }

  /** Resolves the caller named by an {@code Authorization: Bearer} value (HTTP header or SockJS frame header). */
  Future<Caller> bearer(String authorization) {
    return bearerToken(authorization).map(Bearer::caller);
  }

  /** As {@link #bearer}, with the token's issue time (the bridge closes sockets whose token a sign-out revoked). */
  Future<Bearer> bearerToken(String authorization) {
    String raw = bearerCredentials(authorization);
    if (raw == null) {
      return refuse("Authorization header must be 'Bearer <token>'", false);
    }
    if (raw.startsWith(BotTokens.BOT_PREFIX)) {
      return bot(raw).map(caller -> new Bearer(caller, null));
    }
    return verify(raw).compose(token -> resolve(token.userId()).compose(caller -> {
      Long validAfter = caller.tokensValidAfter();
      if (caller.found() && validAfter != null && (token.issuedAt() == null || token.issuedAt() < validAfter)) {
        return refuse("This token was revoked by a sign-out; sign in again", false);
      }
      return Future.succeededFuture(new Bearer(caller, token.issuedAt()));
    }));
  }

  /**
   * The credentials of a {@code Bearer <credentials>} value (scheme in any case, any whitespace between), or null when
   * the value is not one. By hand rather than a regular expression: this runs on every request.
   */
  static String bearerCredentials(String authorization) {
    String value = authorization.strip();
    int end = 0;
    while (end < value.length() && !Character.isWhitespace(value.charAt(end))) {
      end++;
    }
    if (end != "bearer".length() || end == value.length() || !value.regionMatches(true, 0, "bearer", 0, end)) {
      return null;
    }
    String credentials = value.substring(end).strip();
    return credentials.isEmpty() ? null : credentials;
  }

  private Future<Token> verify(String raw) {
    VerifiedToken known = verified.get(raw);
    if (known != null) {
      if (known.expiresAtMs() > System.currentTimeMillis()) {
        return Future.succeededFuture(known.token());
      }
      verified.remove(raw); // expired: the provider says so, with its own message
    }
    return jwt.authenticate(new TokenCredentials(raw))
        .recover(err -> refuse("Invalid or expired token",
            err.getMessage() == null || !err.getMessage().toLowerCase(Locale.ROOT).contains("expired")))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
          if (!claims.containsKey("exp")) {
            return refuse("Token has no expiry", true);
          }
          Object id = claims.getValue("user_id", claims.getValue("id", claims.getValue("sub")));
          if (!Ids.isObjectId(id)) {
            return refuse("Token does not name a user", true);
          }
          Object issuedMs = claims.getValue("auth_time_ms");
          Object issuedAt = claims.getValue("iat");
          Long issued = issuedMs instanceof Number ms ? Long.valueOf(ms.longValue())
              : issuedAt instanceof Number seconds ? Long.valueOf(seconds.longValue() * 1000) : null;
          Token token = new Token(((String) id).toLowerCase(), issued);
          if (claims.getValue("exp") instanceof Number exp) {
            verified.put(raw, new VerifiedToken(token, exp.longValue() * 1000));
          }
          return Future.succeededFuture(token);
        });
  }

  /** A 401, counted as an authentication failure and, when the credentials look forged, as a blocked request. */
  private static <T> Future<T> refuse(String message, boolean forged) {
    Meters.count(Meters.AUTH_FAILURES);
    if (forged) {
      Meters.count(Meters.REQUESTS_BLOCKED);
    }
    return Future.failedFuture(ApiException.unauthorized(message));
  }

  /** A bot's {@value BotTokens#BOT_PREFIX} token, resolved by the auth service (only its hash is stored there). */
  Future<Caller> bot(String token) {
    if (!BotTokens.looksLike(token, BotTokens.BOT_PREFIX)) {
      return refuse("Invalid bot token", true);
    }
    String hash = BotTokens.hash(token);
    long now = System.currentTimeMillis();
    CachedCaller cached = bots.get(hash);
    if (cached != null && cached.expiresAt > now) {
      return Future.succeededFuture(cached.caller);
    }
    bots.values().removeIf(old -> old.expiresAt <= now);
    return services.call(Addresses.AUTH, InternalActions.RESOLVE_BOT_TOKEN, new JsonObject().put("token_hash", hash))
        .compose(reply -> {
          if (!reply.getBoolean("found", false)) {
            return refuse("Invalid or revoked bot token", false);
          }
          Caller caller = new Caller(Principal.fromJson(reply.getJsonObject("principal")), true, null);
          bots.put(hash, new CachedCaller(caller, now + CACHE_TTL_MS));
          return Future.succeededFuture(caller);
        });
  }

  private Future<Caller> resolve(String userId) {
    CachedCaller cached = cache.get(userId);
    long now = System.currentTimeMillis();
    if (cached != null && cached.expiresAt > now) {
      return Future.succeededFuture(cached.caller);
    }
    Future<Caller> inFlight = resolving.get(userId);
    if (inFlight != null) {
      return inFlight;
    }
    Future<Caller> lookup = services.call(Addresses.AUTH, InternalActions.RESOLVE_PRINCIPAL,
            new JsonObject().put("user_id", userId))
        .map(reply -> reply.getBoolean("found", false)
            ? new Caller(Principal.fromJson(reply.getJsonObject("principal")), true,
                reply.getLong("tokens_valid_after_ms"))
            : new Caller(new Principal(userId, null, null, "user"), false, null));
    resolving.put(userId, lookup);
    return lookup.andThen(done -> {
      // not cached when the user changed while the lookup was in flight: the answer may predate the change
      if (resolving.remove(userId, lookup) && done.succeeded() && done.result().found()) {
        cache.put(userId, new CachedCaller(done.result(), now + CACHE_TTL_MS));
      }
    });
  }

  private void forget(String userId) {
    cache.remove(userId);
    resolving.remove(userId);
  }
}
