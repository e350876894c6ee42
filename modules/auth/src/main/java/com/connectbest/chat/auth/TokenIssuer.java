package com.connectbest.chat.auth;

import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/** Issues the same HS256 JWT the original Next.js frontend sends, so one token format serves every client. */
final class TokenIssuer {

  private final JWTAuth jwt;
  private final int expiresInSeconds;

  TokenIssuer(Vertx vertx, Settings settings) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(settings.jwtSecret())));
    this.expiresInSeconds = settings.integer("JWT_EXPIRATION_HOURS", 168) * 3600;
  }

  int expiresInSeconds() {
    return expiresInSeconds;
  }

  String issue(JsonObject user) {
    String id = MongoDocs.id(user);
    JsonObject claims = new JsonObject()
        .put("user_id", id)
        .put("id", id)
        .put("email", user.getString("email"))
        .put("role", user.getString("role", "user"))
        .put("name", UserViews.displayName(user))
        .put("phone", user.getString("phone"))
        // iat has whole seconds; this lets a sign-out revoke tokens issued earlier in the same second, and only those
        .put("auth_time_ms", System.currentTimeMillis());
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm("HS256")
        .setSubject(id)
        .setExpiresInSeconds(expiresInSeconds));
  }
}
